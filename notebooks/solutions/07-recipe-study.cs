// Solutions to the exercises of chapter 07 (the recipe study): notebooks/07-recipe-study.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 7.1: a paired difference over seeds
(double Mean, double Sd) PairedDifference(double[] recipe, double[] baseline)
{
    var d = recipe.Zip(baseline, (r, b) => r - b).ToArray();
    var mean = d.Average();
    var sd = d.Length < 2 ? 0 : Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
    return (mean, sd);
}

// Exercise 7.2: does a difference clear its 95% band?
bool ClearsBand(double mean, double sd, int n)
{
    double[] t975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];   // n - 1 = 1, 2, ...
    return n >= 2 && Math.Abs(mean) > t975[n - 2] * sd / Math.Sqrt(n);
}
