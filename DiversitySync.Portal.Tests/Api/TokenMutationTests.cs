using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>J-07: every mutation of a valid token is refused with 401, never accepted, never a 5xx.</summary>
public class TokenMutationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";

    [Fact]
    public async Task J07_three_thousand_random_mutations_of_a_valid_token_all_get_401()
    {
        var client = factory.CreateClient();
        var key = await factory.KeyAsync(await factory.StaffAsync());
        var token = await client.AccessTokenAsync(key.Plaintext);
        (await client.GetAsync("/v1/me", token)).StatusCode.Should().Be(HttpStatusCode.OK);
        var random = new Random(20261122); // fixed seed: the same cases on every run
        var statuses = new Dictionary<HttpStatusCode, int>();
        var accepted = new List<string>();

        for (var tried = 0; tried < 3000;)
        {
            var mutated = Mutate(token, random);
            if (SameBytes(mutated, token)) continue; // an identity mutation: base64url leaves trailing bits unused
            tried++;
            var status = (await client.GetAsync("/v1/me", mutated)).StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status != HttpStatusCode.Unauthorized) accepted.Add(mutated);
        }

        accepted.Should().BeEmpty($"statuses were " +
            $"{string.Join(", ", statuses.Select(s => $"{(int)s.Key}×{s.Value}"))}");
    }

    private static string Mutate(string token, Random random)
    {
        var chars = token.ToList();
        var position = random.Next(chars.Count);
        switch (random.Next(4))
        {
            case 0: chars[position] = Alphabet[random.Next(Alphabet.Length)]; break;
            case 1: chars.RemoveAt(position); break;
            case 2: chars.Insert(position, Alphabet[random.Next(Alphabet.Length)]); break;
            default: // swap two segments' characters across the token
                var other = random.Next(chars.Count);
                (chars[position], chars[other]) = (chars[other], chars[position]);
                break;
        }
        return new string([.. chars]);
    }

    private static bool SameBytes(string candidate, string original)
    {
        var (a, b) = (candidate.Split('.'), original.Split('.'));
        if (a.Length != b.Length) return false;
        try
        {
            return a.Zip(b).All(pair => Base64UrlEncoder.DecodeBytes(pair.First).AsSpan().SequenceEqual(Base64UrlEncoder.DecodeBytes(pair.Second)));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
