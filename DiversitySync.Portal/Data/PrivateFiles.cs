using System.Runtime.InteropServices;

namespace DiversitySync.Portal.Data;

/// <summary>
/// The data directory holds password hashes, the audit log, encrypted authenticator and signing keys and the Data
/// Protection key ring: nobody but the account the server runs as may read it. The folder is 0700 and everything
/// the process creates is 0600 (umask 077, so SQLite's -wal and -shm files and new key-ring files too); files made
/// by an earlier version are narrowed at start.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Prepare(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory); // ACLs, not modes: the folder inherits its parent's
            return;
        }
        _ = SetUmask(0b000_111_111); // 077
        Directory.CreateDirectory(dataDirectory, OwnerOnlyDirectory);
        File.SetUnixFileMode(dataDirectory, OwnerOnlyDirectory);
        foreach (var entry in Directory.EnumerateFileSystemEntries(dataDirectory, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? OwnerOnlyDirectory : OwnerOnlyFile);
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
