namespace SplitBrain.Training;

/// <summary>Where pretraining images come from (<see cref="DataConfig.Source"/>).</summary>
public enum DataSource
{
    /// <summary>The built-in synthetic shapes (<see cref="Data.SyntheticShapes"/>): offline, any size, rendered once into
    /// a tensor cache.</summary>
    Synthetic,

    /// <summary>STL-10's binary release (<see cref="Data.Stl10Dataset"/>) in <see cref="DataConfig.Path"/>; read as raw
    /// bytes, no cache needed.</summary>
    Stl10,

    /// <summary>Every image below the folder <see cref="DataConfig.Path"/> (<see cref="Data.ImageFolderDataset"/>),
    /// decoded once into a tensor cache.</summary>
    ImageFolder,
}
