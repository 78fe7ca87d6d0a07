using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace DiversitySync.Portal.Tests.Staff;

/// <summary>What a copy of the data directory or a backup gives away: as little as possible (K-02, R-07).</summary>
public class SecretsAtRestTests
{
    [Fact, System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_directory_it_creates_and_every_file_in_it_are_the_server_account_s_alone()
    {
        if (OperatingSystem.IsWindows()) return; // modes are a Unix notion; Windows inherits the folder's ACL
        var parent = PortalFactory.NewDataDirectory();
        var dataDirectory = Path.Combine(parent, "data");
        try
        {
            await using (var factory = PortalFactory.Create(dataDirectory))
            {
                await factory.KeyAsync(await factory.StaffAsync()); // the database, its -wal and -shm, the key ring

                File.GetUnixFileMode(dataDirectory).Should()
                    .Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).ToList();
                files.Should().Contain(f => f.EndsWith("diversitysync.db-wal")).And.Contain(f => f.EndsWith(".xml"));
                // SQLite may remove the -wal and -shm files between listing and looking (the last connection closing).
                files.Select(ModeOf).OfType<UnixFileMode>()
                    .Select(mode => mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite))
                    .Should().OnlyContain(extra => extra == UnixFileMode.None, "no group or other bits on any file");
            }

            // A database an earlier version left readable is narrowed at the next start.
            File.SetUnixFileMode(Path.Combine(dataDirectory, "diversitysync.db"),
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await using (var restarted = PortalFactory.Create(dataDirectory))
            {
                restarted.CreateClient();
                File.GetUnixFileMode(Path.Combine(dataDirectory,
                    "diversitysync.db")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            PortalFactory.TryDelete(parent);
        }
    }

    [Fact]
    public async Task An_authenticator_key_is_stored_encrypted()
    {
        await using var factory = new PortalFactory();
        var staff = await factory.StaffAsync();

        var enrolment = (await factory.WithScopeAsync(s =>
            s.GetRequiredService<StaffMfa>().EnrolmentAsync(Actor.Staff(staff.Id, staff.DisplayName)))).Value!;

        var stored = await StoredKeyAsync(factory, staff.Id);
        stored.Should().StartWith("dp1:").And.NotContain(enrolment.SharedKey!.Replace(" ", "").ToUpperInvariant());
    }

    [Fact]
    public async Task A_key_stored_in_plaintext_before_is_encrypted_at_the_next_start_and_still_works()
    {
        var dataDirectory = PortalFactory.NewDataDirectory();
        try
        {
            string staffId;
            const string plaintext = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
            await using (var before = PortalFactory.Create(dataDirectory))
            {
                staffId = (await before.StaffAsync()).Id;
                await ExecuteAsync(before,
                    $"INSERT INTO AspNetUserTokens (UserId, LoginProvider, Name, Value) VALUES ('{staffId}', " +
                    $"'[AspNetUserStore]', 'AuthenticatorKey', '{plaintext}')");
            }

            await using var after = PortalFactory.Create(dataDirectory);
            after.CreateClient();

            (await StoredKeyAsync(after, staffId)).Should().StartWith("dp1:").And.NotContain(plaintext);
            var key = await after.WithScopeAsync(async s =>
            {
                var users = s.GetRequiredService<UserManager<StaffMember>>();
                return await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(staffId))!);
            });
            key.Should().Be(plaintext, "the person's app keeps working");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            PortalFactory.TryDelete(dataDirectory);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode? ModeOf(string path)
    {
        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static async Task<string> StoredKeyAsync(PortalFactory factory, string staffId)
    {
        await using var db = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT Value FROM AspNetUserTokens WHERE UserId = '{staffId}' AND Name = " +
            $"'AuthenticatorKey'";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(PortalFactory factory, string sql)
    {
        factory.CreateClient();
        await using var db = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
