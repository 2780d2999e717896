// This file is compiled twice: into the library (SplitBrain.Native.ElfVersionNeeds, used by TorchNatives at run time) and,
// as the source of an MSBuild inline task (environment/TorchSharpNativeFix.targets), into the build, where the task class
// at the end wraps it. So it keeps to what netstandard 2.0 has, and states its usings and nullable context itself.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace SplitBrain.Native
{
    /// <summary>How an ELF shared object requires a symbol version.</summary>
    internal enum ElfVersionRequirement
    {
        /// <summary>The file is not a 64-bit little-endian ELF shared object this code understands.</summary>
        NotElf,

        /// <summary>It does not require that version.</summary>
        None,

        /// <summary>It requires it weakly: the loader accepts a library without it.</summary>
        Weak,

        /// <summary>It requires it: the loader refuses a libstdc++ without it.</summary>
        Strong,
    }

    /// <summary>
    /// Makes a symbol-version requirement of an ELF shared object optional: sets <c>VER_FLG_WEAK</c> on the matching
    /// entry of its <c>.gnu.version_r</c> section, one byte. TorchSharp's <c>libLibTorchSharp.so</c> needs this on
    /// Debian 12 and Ubuntu 22.04 (see environment/README.md).
    /// </summary>
    /// <remarks>
    /// Layout: ELF64 little-endian, per the System V gABI and the GNU symbol-versioning spec (<c>Elf64_Verneed</c>,
    /// <c>Elf64_Vernaux</c>); only the 2-byte <c>vna_flags</c> of the matching <c>Vernaux</c> entry changes. The file is
    /// never written through: a patched copy is written next to it and renamed over it, so a process loading it meanwhile
    /// sees the old file or the new one, and a hard link into the NuGet cache keeps the cache's file unpatched. The copy
    /// keeps the original's time stamp and size, so an incremental build does not copy the original over it again.
    /// </remarks>
    internal static class ElfVersionNeeds
    {
        /// <summary>The version <c>libLibTorchSharp.so</c> of TorchSharp 0.107 needs and Debian 12's libstdc++ lacks.</summary>
        internal const string Glibcxx3432 = "GLIBCXX_3.4.32";

        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>Where the flags of <paramref name="version"/>'s requirement are, and whether it is weak already.</summary>
        /// <param name="bytes">The whole file.</param>
        /// <param name="version">A version name such as <c>GLIBCXX_3.4.32</c>.</param>
        /// <returns>The requirement and, for a strong one, the offset of its flags (else -1).</returns>
        internal static (ElfVersionRequirement Requirement, int FlagsOffset) Find(byte[] bytes, string version)
        {
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F'
                || bytes[4] != 2 || bytes[5] != 1)
                return (ElfVersionRequirement.NotElf, -1);
            try
            {
                var shoff = ToInt(BitConverter.ToInt64(bytes, 0x28));
                int shentsize = BitConverter.ToUInt16(bytes, 0x3A);
                int shnum = BitConverter.ToUInt16(bytes, 0x3C);
                for (var s = 0; s < shnum; s++)
                {
                    var header = shoff + s * shentsize;
                    if (BitConverter.ToUInt32(bytes, header + 4) != ShtGnuVerneed)
                        continue;
                    var entry = ToInt(BitConverter.ToInt64(bytes, header + 24));
                    var link = (int)BitConverter.ToUInt32(bytes, header + 40);
                    var count = (int)BitConverter.ToUInt32(bytes, header + 44);
                    var strings = ToInt(BitConverter.ToInt64(bytes, shoff + link * shentsize + 24));
                    for (var n = 0; n < count; n++)
                    {
                        int auxCount = BitConverter.ToUInt16(bytes, entry + 2);
                        var aux = entry + (int)BitConverter.ToUInt32(bytes, entry + 8);
                        for (var a = 0; a < auxCount; a++)
                        {
                            if (NameAt(bytes, strings + (int)BitConverter.ToUInt32(bytes, aux + 8)) == version)
                            {
                                var weak = (BitConverter.ToUInt16(bytes, aux + 4) & VerFlgWeak) != 0;
                                return weak ? (ElfVersionRequirement.Weak, -1) : (ElfVersionRequirement.Strong, aux + 4);
                            }
                            aux += (int)BitConverter.ToUInt32(bytes, aux + 12);
                        }
                        entry += (int)BitConverter.ToUInt32(bytes, entry + 12);
                    }
                }
            }
            catch (ArgumentException)
            {
                return (ElfVersionRequirement.NotElf, -1); // an offset past the end: not an ELF file this code understands
            }
            return (ElfVersionRequirement.None, -1);
        }

        /// <summary>Makes <paramref name="path"/>'s requirement of <paramref name="version"/> weak, if it has a strong one.</summary>
        /// <param name="path">An ELF shared object.</param>
        /// <param name="version">A version name such as <see cref="Glibcxx3432"/>.</param>
        /// <returns>The requirement the file had: <see cref="ElfVersionRequirement.Strong"/> means it was patched; the file
        /// was left alone otherwise.</returns>
        /// <exception cref="IOException">The file or its folder cannot be written (a read-only install).</exception>
        /// <exception cref="UnauthorizedAccessException">Likewise.</exception>
        internal static ElfVersionRequirement MakeWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var (requirement, flags) = Find(bytes, version);
            if (requirement != ElfVersionRequirement.Strong)
                return requirement;
            bytes[flags] |= (byte)VerFlgWeak;
            var stamp = File.GetLastWriteTimeUtc(path);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".patching"; // concurrent patchers never share one
            try
            {
                File.WriteAllBytes(temporary, bytes);
                File.SetLastWriteTimeUtc(temporary, stamp);
                File.Replace(temporary, path, null);
            }
            finally
            {
                if (File.Exists(temporary))
                    File.Delete(temporary);
            }
            return ElfVersionRequirement.Strong;
        }

        private static string NameAt(byte[] bytes, int start)
        {
            var end = start;
            while (bytes[end] != 0)
                end++;
            return Encoding.ASCII.GetString(bytes, start, end - start);
        }

        private static int ToInt(long offset) =>
            offset >= 0 && offset < int.MaxValue ? (int)offset : throw new ArgumentException("offset out of range");
    }

#if !SPLITBRAIN_LIBRARY
    /// <summary>The MSBuild task of environment/TorchSharpNativeFix.targets: <see cref="ElfVersionNeeds.MakeWeak"/> on each file.</summary>
    public sealed class WeakenElfVersionNeed : Microsoft.Build.Utilities.Task
    {
        /// <summary>The files to patch (missing ones are skipped).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>The version whose requirement becomes weak.</summary>
        [Microsoft.Build.Framework.Required]
        public string VersionName { get; set; } = "";

        /// <inheritdoc/>
        public override bool Execute()
        {
            foreach (var item in Files)
            {
                if (!File.Exists(item.ItemSpec))
                    continue;
                var requirement = ElfVersionNeeds.MakeWeak(item.ItemSpec, VersionName);
                if (requirement == ElfVersionRequirement.NotElf)
                    Log.LogWarning("{0} is not a 64-bit little-endian ELF file; not patched.", item.ItemSpec);
                else if (requirement == ElfVersionRequirement.Strong)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "Made {0} optional in {1}.", VersionName, item.ItemSpec);
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
