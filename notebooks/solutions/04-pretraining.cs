// Solutions to the exercises of chapter 04 (pretraining): notebooks/04-pretraining.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 4.1: the learning-rate schedule
double ScheduledRate(long step, long totalSteps, int warmupSteps, double peak)
{
    if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
    var progress = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
    return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
}

// Exercise 4.2: one training step
double TrainingStep(SplitBrainNet net, optim.Optimizer optimizer, SplitBrainTargets batch)
{
    using var scope = NewDisposeScope();
    net.train();
    optimizer.zero_grad();
    var (abLogits, lLogits) = net.call(batch.LInput, batch.AbInput);   // F1: L -> ab bins, F2: ab -> L bins
    var f1 = (nn.functional.cross_entropy(abLogits, batch.AbTarget, reduction: nn.Reduction.None) * batch.AbWeights!).mean();
    var f2 = (nn.functional.cross_entropy(lLogits, batch.LTarget, reduction: nn.Reduction.None) * batch.LWeights!).mean();
    var loss = f1 + f2;
    loss.backward();
    optimizer.step();
    return loss.item<float>();
}
