// Solutions to the exercises of chapter 05 (fine-tuning): notebooks/05-fine-tuning.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 5.1: top-k accuracy
double TopKAccuracy(Tensor logits, Tensor labels, int k)
{
    var (_, top) = logits.topk(k, dim: 1);                                          // [N, k] best classes
    return top.eq(labels.unsqueeze(1)).any(1).to_type(ScalarType.Float64).mean().item<double>();
}

// Exercise 5.2: the confusion matrix
Tensor ConfusionCounts(Tensor predicted, Tensor labels, int classes)
{
    var cell = labels * classes + predicted;                                 // one flat index per example
    return cell.bincount(null, classes * classes).reshape(classes, classes);
}
