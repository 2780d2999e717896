using SplitBrain.Training.Objectives;

namespace SplitBrain.Course;

/// <summary>
/// One row of the paper's ablation (Zhang, Isola, Efros, "Split-Brain Autoencoders", CVPR 2017, arXiv:1611.09842): the
/// table of linear classification on ImageNet from the frozen features of conv1 to conv5, one row per objective.
/// </summary>
/// <param name="Objective">The course's name of the objective (<see cref="PretrainObjectives"/>).</param>
/// <param name="Row">The row in the paper's words.</param>
/// <param name="ImageNet">Its ImageNet top-1 at conv1..conv5 (%), or null where the paper has no such row.</param>
public sealed record PaperAblation(string Objective, string Row, double[]? ImageNet = null)
{
    /// <summary>Where the numbers come from.</summary>
    public const string Source =
        "Zhang, Isola, Efros (CVPR 2017, arXiv:1611.09842), Table 2: linear classifiers on frozen conv1..conv5 features, "
        + "1000-way ImageNet top-1 (%), AlexNet pretrained on 1.3M ImageNet images without labels";

    /// <summary>The paper's rows, in <see cref="WhySplitChapterConfig.PaperRows"/> order, transcribed from its Table 2.</summary>
    /// <remarks>Where a row differs from the course's objective: the paper's ab → L (cl) quantizes L into 50 bins of 2 (the
    /// course's <see cref="Data.TargetConfig.LightnessBins"/> sets it, 100 by default); the paper has no (cl,reg)
    /// split; and its (L,ab,Lab) → (ab,L,Lab) weighs the three tasks by λ = 1/3 in one loss (its equation 5), where the
    /// course gives each task a third of the steps and classifies the two cross-channel tasks.</remarks>
    public static IReadOnlyList<PaperAblation> Rows { get; } =
    [
        new(PretrainObjectives.Default, "Split-Brain Auto (cl,cl)", [17.7, 29.3, 35.4, 35.2, 32.8]),
        new("split-brain-reg-reg", "Split-Brain Auto (reg,reg)", [17.4, 27.9, 33.6, 34.2, 32.3]),
        new("split-brain-cl-reg", "Split-Brain Auto (cl,reg): not in the paper"),
        new("l-to-ab-cl", "L → ab (cl)", [12.5, 25.4, 32.4, 33.1, 32.0]),
        new("l-to-ab-reg", "L → ab (reg)", [12.3, 23.5, 29.6, 31.1, 30.1]),
        new("ab-to-l-cl", "ab → L (cl)", [11.6, 19.2, 22.6, 21.7, 19.2]),
        new("ab-to-l-reg", "ab → L (reg)", [11.5, 19.4, 23.5, 23.9, 21.7]),
        new("autoencoder", "Lab → Lab", [12.9, 20.1, 18.5, 15.1, 11.5]),
        new("denoising-autoencoder", "Lab (drop50) → Lab", [12.1, 20.4, 19.7, 16.1, 12.3]),
        new("alternative-aggregation", "(L,ab,Lab) → (ab,L,Lab)", [15.4, 22.9, 24.0, 22.0, 18.9]),
    ];

    /// <summary>The paper's floor, "Gaussian" (random Gaussian weights, no pretraining), the nearest of its rows to the
    /// course's random+BN.</summary>
    public static PaperAblation Gaussian { get; } = new("random", "Gaussian", [11.6, 17.1, 16.9, 16.3, 14.1]);

    /// <summary>The paper's row of an objective, or null for one the paper does not have.</summary>
    /// <param name="objective">An objective's name.</param>
    public static PaperAblation? Of(string objective) => Rows.FirstOrDefault(r => r.Objective == objective);

    /// <summary>Its numbers as the chapter's tables print them (<c>17.7 / 29.3 / ...</c>), or "not in the paper".</summary>
    public string Numbers => ImageNet is { } numbers
        ? string.Join(" / ", numbers.Select(n => n.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))
        : "not in the paper";
}
