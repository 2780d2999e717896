using SplitBrain.Training.Objectives;

namespace SplitBrain.Course;

/// <summary>
/// One row of the paper's ablation (Zhang, Isola, Efros, "Split-Brain Autoencoders", CVPR 2017, arXiv:1611.09842): the
/// table of linear classification on ImageNet from the frozen features of conv1 to conv5, one row per objective.
/// </summary>
/// <param name="Objective">The course's name of the objective (<see cref="PretrainObjectives"/>).</param>
/// <param name="Row">The row in the paper's words.</param>
/// <param name="ImageNet">Its ImageNet top-1 at conv1..conv5 (%), or null where this course has not transcribed it.</param>
public sealed record PaperAblation(string Objective, string Row, double[]? ImageNet = null)
{
    /// <summary>
    /// Where the numbers come from, and what is missing: the course's search tools reached only the paper's abstract and
    /// introduction, not its ablation table, so no number is filled in rather than one from memory. Fill
    /// <see cref="ImageNet"/> from the paper's table (its arXiv PDF) and cite it in chapter 08.
    /// </summary>
    public const string Source =
        "Zhang, Isola, Efros (CVPR 2017, arXiv:1611.09842), the ablation table of ImageNet linear classification, conv1..conv5: "
        + "not transcribed yet (the course's search tools did not reach the table; numbers are left out rather than guessed)";

    /// <summary>The paper's rows, in <see cref="WhySplitChapterConfig.PaperRows"/> order.</summary>
    public static IReadOnlyList<PaperAblation> Rows { get; } =
    [
        new(PretrainObjectives.Default, "Split-Brain Auto (cl,cl)"),
        new("split-brain-reg-reg", "Split-Brain Auto (reg,reg)"),
        new("split-brain-cl-reg", "Split-Brain Auto (cl,reg)"),
        new("l-to-ab-cl", "L → ab (cl)"),
        new("l-to-ab-reg", "L → ab (reg)"),
        new("ab-to-l-cl", "ab → L (cl)"),
        new("ab-to-l-reg", "ab → L (reg)"),
        new("autoencoder", "Lab → Lab (autoencoder)"),
        new("denoising-autoencoder", "Lab (drop 50%) → Lab (denoising autoencoder)"),
        new("alternative-aggregation", "Lab → Lab, alternative aggregation"),
    ];

    /// <summary>The paper's row of an objective, or null for one the paper does not have.</summary>
    /// <param name="objective">An objective's name.</param>
    public static PaperAblation? Of(string objective) => Rows.FirstOrDefault(r => r.Objective == objective);
}
