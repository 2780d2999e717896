// Solutions to the exercises of chapter 02 (quantization): notebooks/02-quantization.ipynb.
// Each section replaces the exercise cell whose first line it shares; the exercise runs after the chapter's setup
// cell only. `dotnet run --project tools/SplitBrain.Notebooks -- exercises` checks that every check fails on the
// chapter's stub and passes on the solution here. Teachers: leave this folder out of what you hand to students.

// Exercise 2.1: the nearest-bin encoding
Tensor NearestBin(Tensor values, Tensor centers)
{
    var q = centers.shape[0];
    var d2 = (values.unsqueeze(1) - centers.reshape(1, q, 2, 1, 1)).pow(2).sum(2);   // [N, Q, H, W] squared distances
    return d2.argmin(1);                                                              // [N, H, W]
}

// Exercise 2.2: the soft encoding
Tensor SoftTargets(Tensor values, Tensor centers, int k, double sigma)
{
    var q = centers.shape[0];
    var d2 = (values.unsqueeze(1) - centers.reshape(1, q, 2, 1, 1)).pow(2).sum(2);   // [N, Q, H, W]
    var (nearest, indices) = d2.topk(k, dim: 1, largest: false);                       // [N, k, H, W] each
    var gaussian = (-nearest / (2 * sigma * sigma)).softmax(1);                        // exp(-d^2 / 2 sigma^2), normalised
    return zeros_like(d2).scatter_(1, indices, gaussian);
}

// Exercise 2.3: the class-rebalancing weights
Tensor ClassWeights(Tensor prior, double lambda)
{
    var mix = prior * (1 - lambda) + lambda / prior.shape[0];   // [Q]
    var inverted = mix.reciprocal();
    return inverted / (prior * inverted).sum();                  // mean 1 under the prior
}

// Exercise 2.4: the annealed mean
Tensor AnnealedMean(Tensor probabilities, Tensor centers, double temperature)
{
    var sharpened = probabilities.pow(1 / temperature);                 // [N, Q, H, W]
    sharpened = sharpened / sharpened.sum(1, keepdim: true);             // renormalised
    return einsum("nqhw,qc->nchw", sharpened, centers);                  // [N, 2, H, W]
}
