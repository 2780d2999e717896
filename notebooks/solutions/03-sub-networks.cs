// Solutions to the exercises of chapter 03 (the sub-networks): notebooks/03-sub-networks.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 3.1: the output-size formula, with dilation
int OutputSize(int size, int kernel, int stride, int padding, int dilation)
{
    var span = dilation * (kernel - 1) + 1;                // the pixels a dilated kernel covers
    return (size + 2 * padding - span) / stride + 1;
}

// Exercise 3.2: the rebalanced cross-entropy
Tensor RebalancedCrossEntropy(Tensor logits, Tensor target, Tensor weights)
{
    var logProbabilities = logits.log_softmax(1);                                  // [N, Q, h, w]
    var ofTarget = logProbabilities.gather(1, target.unsqueeze(1)).squeeze(1);      // [N, h, w]
    return (-ofTarget * weights).mean();
}
