using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace DiversitySync.Portal.Tokens;

/// <summary>The keys in use: one to sign with, and the public keys that tokens may be validated against.</summary>
public sealed record SigningKeySet(JwtSigner Signer, IReadOnlyList<PublishedKey> Published);

public sealed record PublishedKey(string Algorithm, AsymmetricSecurityKey Key);

/// <summary>
/// Holds the signing keys. By default they are generated on first start and kept in the database, encrypted with
/// Data Protection, so tokens survive restarts and every instance signs alike; a configured PEM file takes
/// precedence (K-07). Rotation keeps the previous key published and accepted, so tokens it
/// signed stay valid until they expire (J-15).
/// </summary>
public sealed class SigningKeyStore(
    IOptions<TokenOptions> options, IDataProtectionProvider dataProtection, ILogger<SigningKeyStore> logger)
    : IStoreChangeListener
{
    private readonly IDataProtector protector = dataProtection.CreateProtector("DiversitySync.Portal.SigningKeys");
    private volatile SigningKeySet? current;

    public SigningKeySet Current => current
        ?? throw new InvalidOperationException("Signing keys have not been loaded.");

    public bool IsConfiguredByFile => !string.IsNullOrWhiteSpace(options.Value.SigningKeyFile);

    /// <summary>At start: load the configured key, or make sure the database holds one and load it.</summary>
    public async Task EnsureAsync(PortalDbContext db, UnitOfWork writes, CancellationToken cancellationToken = default)
    {
        if (IsConfiguredByFile)
        {
            var pem = await File.ReadAllTextAsync(options.Value.SigningKeyFile!, cancellationToken);
            var (privateKey, publicKey) = SigningKeyMaterial.Load(options.Value.Algorithm, pem);
            current = new SigningKeySet(new JwtSigner(privateKey, options.Value.Algorithm),
                [new PublishedKey(options.Value.Algorithm, publicKey)]);
            return;
        }
        if (!await db.SigningKeys.AnyAsync(k => k.RetiredAt == null, cancellationToken))
        {
            await RotateAsync(writes, Actor.System, cancellationToken);
        }
        await LoadAsync(db, cancellationToken);
    }

    /// <summary>
    /// Makes a new current key; the old current one stays published as the previous; older ones retire. Only the
    /// server and the admin CLI rotate: no permission covers the keys every token is signed with. Gives the new kid.
    /// </summary>
    public Task<Outcome<string>> RotateAsync(UnitOfWork writes, Actor actor,
        CancellationToken cancellationToken = default) =>
        writes.RunAsync<string>(actor, OnlyTheSystem, async change =>
        {
            if (IsConfiguredByFile)
            {
                return Refusal.Conflict("The signing key comes from Tokens:SigningKeyFile: rotate it by replacing " +
                    "that file.");
            }
            var algorithm = options.Value.Algorithm;
            var pem = SigningKeyMaterial.NewPrivateKeyPem(algorithm, options.Value.RsaKeySize);
            var kid = SigningKeyMaterial.Load(algorithm, pem).Public.KeyId;
            var revision = await change.RevisionAsync(cancellationToken);
            var newestFirst = await change.Db.SigningKeys.Where(k => k.RetiredAt == null)
                .OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
            foreach (var old in newestFirst.Skip(1))
            {
                old.RetiredAt = change.Now;
                old.Revision = revision;
            }
            change.Db.SigningKeys.Add(new SigningKey
            {
                Kid = kid,
                Algorithm = algorithm,
                ProtectedPrivateKey = protector.Protect(pem),
                CreatedAt = change.Now,
                Revision = revision,
            });
            change.Audit(AuditActions.SigningKeyCreated, AuditTargets.SigningKey, kid, algorithm);
            return kid;
        }, cancellationToken);

    private static Refusal? OnlyTheSystem(Access access) =>
        access.IsSystem ? null : Refusal.Forbidden("Only the admin CLI rotates the signing keys.");

    public Task CatchUpAsync(PortalDbContext db, long sinceRevision, CancellationToken cancellationToken) =>
        IsConfiguredByFile ? Task.CompletedTask : LoadAsync(db, cancellationToken);

    private async Task LoadAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.SigningKeys.AsNoTracking().Where(k => k.RetiredAt == null)
            .OrderByDescending(k => k.CreatedAt).Take(2).ToListAsync(cancellationToken);
        if (stored.Count == 0) return;
        var loaded = stored.Select(k => (Stored: k, Keys: SigningKeyMaterial.Load(k.Algorithm, Unprotect(k)))).ToList();
        var signing = loaded[0];
        if (current?.Signer.Kid != signing.Stored.Kid)
        {
            logger.LogInformation("Signing tokens with key {Kid} ({Algorithm})", signing.Stored.Kid,
                signing.Stored.Algorithm);
        }
        current = new SigningKeySet(
            new JwtSigner(signing.Keys.Private, signing.Stored.Algorithm),
            [.. loaded.Select(l => new PublishedKey(l.Stored.Algorithm, l.Keys.Public))]);
    }

    private string Unprotect(SigningKey key)
    {
        try
        {
            return protector.Unprotect(key.ProtectedPrivateKey);
        }
        catch (System.Security.Cryptography.CryptographicException exception)
        {
            throw new InvalidOperationException(
                $"Signing key {key.Kid} cannot be decrypted: the Data Protection key ring in the data directory is " +
                "missing or different. Restore the data-protection-keys folder, or run `signing-keys rotate` on a " +
                "machine that has it.", exception);
        }
    }
}
