using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SplitBrain.Runs;

/// <summary>
/// Early stopping and keep-best for any run: after each whole epoch it reads <paramref name="metric"/> from what the epoch
/// measured (e.g. a task's <c>validationAccuracy</c>), remembers the best epoch (higher is better) and, with
/// <paramref name="keepBestOf"/>, a copy of that model's parameters; it stops the run when the metric has not improved for
/// <paramref name="patience"/> epochs and, when training ends, puts the best epoch's parameters back. Its counters are
/// checkpointed (<see cref="ICheckpointed"/>); the best parameters are not (a resumed run keeps the best from then on).
/// </summary>
/// <param name="metric">The epoch metric to watch.</param>
/// <param name="patience">Epochs without improvement before stopping, at least 1.</param>
/// <param name="keepBestOf">The model whose best parameters are kept and restored, or null to only stop.</param>
public sealed class EarlyStopping(string metric, int patience, nn.Module? keepBestOf = null) : IRunObserver, ICheckpointed, IDisposable
{
    private readonly int _patience = patience >= 1 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), patience, "at least 1");
    private Tensor[]? _best;
    private int _sinceBest;

    /// <summary>The epoch with the best value so far (0 before one was measured).</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best value so far, or null before one was measured.</summary>
    public double? BestValue { get; private set; }

    /// <inheritdoc/>
    public string StateName => $"earlyStopping.{metric}";

    /// <inheritdoc/>
    public void AfterEpoch(Trainer trainer, EpochReport epoch)
    {
        if (epoch.End.Partial || !epoch.Metrics.TryGetValue(metric, out var value))
            return;
        if (value > (BestValue ?? double.NegativeInfinity))
        {
            (BestValue, BestEpoch, _sinceBest) = (value, epoch.End.Epoch, 0);
            if (keepBestOf is not null)
                Keep(keepBestOf);
        }
        else if (++_sinceBest >= _patience)
        {
            trainer.RequestStop();
        }
    }

    /// <inheritdoc/>
    public void AfterFit(Trainer trainer, RunSummary summary) => RestoreBest();

    /// <summary>Puts the best epoch's parameters back into the model (nothing without a kept copy).</summary>
    public void RestoreBest()
    {
        if (_best is null || keepBestOf is null)
            return;
        using var noGrad = no_grad();
        foreach (var (parameter, best) in keepBestOf.parameters().Zip(_best))
            parameter.copy_(best);
    }

    /// <inheritdoc/>
    public JsonNode? SaveState() => new JsonObject { ["bestEpoch"] = BestEpoch, ["bestValue"] = BestValue, ["sinceBest"] = _sinceBest };

    /// <inheritdoc/>
    public void LoadState(JsonNode? state)
    {
        BestEpoch = (int?)state?["bestEpoch"] ?? 0;
        BestValue = (double?)state?["bestValue"];
        _sinceBest = (int?)state?["sinceBest"] ?? 0;
    }

    /// <summary>Frees the kept parameters.</summary>
    public void Dispose()
    {
        foreach (var tensor in _best ?? [])
            tensor.Dispose();
        _best = null;
    }

    private void Keep(nn.Module model)
    {
        Dispose();
        _best = [.. model.parameters().Select(p => p.detach().clone().DetachFromDisposeScope())];
    }
}
