// Solutions to the exercises of chapter 08 (why split the brain?): notebooks/08-why-split.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 8.1: Holm's adjusted p-values
double[] HolmAdjust(double[] p)
{
    var order = Enumerable.Range(0, p.Length).OrderBy(i => p[i]).ToArray();
    var adjusted = new double[p.Length];
    var running = 0.0;
    for (var k = 0; k < order.Length; k++)
    {
        running = Math.Max(running, Math.Min(1, (p.Length - k) * p[order[k]]));
        adjusted[order[k]] = running;
    }
    return adjusted;
}

// Exercise 8.2: the L2 regression loss
Tensor RegressionLoss(Tensor predicted, Tensor truth)
{
    var pooled = nn.functional.avg_pool2d(truth, truth.shape[2] / predicted.shape[2]);   // [N, C, h, w]
    return (predicted - pooled).pow(2).mean();
}
