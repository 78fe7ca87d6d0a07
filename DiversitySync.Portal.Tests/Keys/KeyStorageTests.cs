using System.Text;

namespace DiversitySync.Portal.Tests.Keys;

public class KeyStorageTests
{
    [Fact]
    public async Task K02_the_database_files_never_hold_the_key_or_its_secret()
    {
        await using var factory = new PortalFactory();
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());
        await client.AccessTokenAsync(key.Plaintext); // a use, so last-used data is written too
        await factory.Services.GetRequiredService<Portal.Keys.KeyUsageTracker>().FlushAsync();
        var secret = key.Plaintext[25..];

        var files = Directory.GetFiles(factory.DataDirectory, "diversitysync.db*");
        files.Should().Contain(f => f.EndsWith("-wal"), "recent writes are still in the WAL and must be searched too");
        foreach (var file in files)
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var needle in new[] { key.Plaintext, secret })
            {
                bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)).Should().Be(-1,
                    $"{Path.GetFileName(file)} holds no UTF-8 copy");
                bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)).Should().Be(-1,
                    $"{Path.GetFileName(file)} holds no UTF-16 copy");
            }
        }
        factory.Logs.AllText.Should().NotContain(secret);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read,
            FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
