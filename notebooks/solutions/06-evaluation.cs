// Solutions to the exercises of chapter 06 (evaluation): notebooks/06-evaluation.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 6.1: BatchNorm re-estimation
void ReestimateBatchNorm(nn.Module<Tensor, Tensor> model, IReadOnlyList<Tensor> batches)
{
    var norms = model.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
    var momenta = norms.Select(n => n.momentum).ToList();
    foreach (var norm in norms)
    {
        norm.reset_running_stats();
        norm.momentum = null;                     // a plain average: batch k counts 1/k
    }
    var wasTraining = model.training;
    model.train();                                // training mode: normalise with, and accumulate, batch statistics
    using (no_grad())
        foreach (var batch in batches)
            model.call(batch).Dispose();
    for (var i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
    model.train(wasTraining);
}

// Exercise 6.2: a linear probe on frozen features
Tensor LinearProbeScores(Tensor trainFeatures, Tensor trainLabels, int classes, Tensor testFeatures)
{
    var mean = trainFeatures.mean([0]);
    var std = trainFeatures.std(0).clamp_min(1e-6);
    var x = (trainFeatures - mean) / std;                                       // [N, D] standardised
    var weight = nn.Parameter(zeros(x.shape[1], classes));
    var bias = nn.Parameter(zeros(classes));
    var optimizer = optim.Adam([weight, bias], lr: 0.01);
    for (var step = 0; step < 300; step++)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(x.matmul(weight) + bias, trainLabels) + 1e-3 / 2 * weight.pow(2).sum();
        loss.backward();
        optimizer.step();
    }
    using (no_grad())
        return ((testFeatures - mean) / std).matmul(weight) + bias;             // [M, classes]
}
