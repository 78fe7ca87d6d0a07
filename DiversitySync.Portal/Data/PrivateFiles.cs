using System.Runtime.InteropServices;

namespace DiversitySync.Portal.Data;

/// <summary>
/// The data directory holds password hashes, the audit log, encrypted authenticator and signing keys and the Data
/// Protection key ring: nobody but the account the server runs as may read it. A data directory the server creates
/// is 0700, and everything the process creates is 0600 (umask 077, so SQLite's -wal and -shm files and new key-ring
/// files too). Files an earlier version left readable are narrowed at start; a folder that already existed keeps
/// its mode (it may be shared, like /tmp), and a warning says so when others can read it.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Prepares the folder; gives a warning for the log when it existed and others can read it.</summary>
    public static string? Prepare(string dataDirectory, string databaseFileName, string keyRingFolderName)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory); // ACLs, not modes: the folder inherits its parent's
            return null;
        }
        _ = SetUmask(0b000_111_111); // 077
        var existed = Directory.Exists(dataDirectory);
        Directory.CreateDirectory(dataDirectory, OwnerOnlyDirectory);
        foreach (var file in Directory.EnumerateFiles(dataDirectory, databaseFileName + "*"))
        {
            File.SetUnixFileMode(file, OwnerOnlyFile);
        }
        var keyRing = Path.Combine(dataDirectory, keyRingFolderName);
        if (Directory.Exists(keyRing))
        {
            File.SetUnixFileMode(keyRing, OwnerOnlyDirectory);
            foreach (var file in Directory.EnumerateFiles(keyRing)) File.SetUnixFileMode(file, OwnerOnlyFile);
        }
        return existed && (File.GetUnixFileMode(dataDirectory) & Others) != 0
            ? $"The data directory {dataDirectory} can be listed by other accounts: its files are private, but " +
                $"consider chmod 700."
            : null;
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
