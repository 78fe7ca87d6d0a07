using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// Identity's store, but authenticator keys are kept encrypted with Data Protection: with the database alone (a
/// backup, a copied file) nobody can make a person's codes. Keys written before this were plaintext; the
/// <see cref="EncryptStoredKeysAsync"/> step at start encrypts them, and reading copes with either until then.
/// </summary>
public sealed class StaffUserStore(PortalDbContext db, IDataProtectionProvider dataProtection,
    IdentityErrorDescriber? describer = null)
    : UserStore<StaffMember, StaffRole, PortalDbContext>(db, describer)
{
    private const string Prefix = "dp1:";
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string AuthenticatorKeyName = "AuthenticatorKey";
    private const string Purpose = "DiversitySync.Portal.AuthenticatorKeys";
    private readonly IDataProtector protector = dataProtection.CreateProtector(Purpose);

    public override Task SetAuthenticatorKeyAsync(StaffMember user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, Prefix + protector.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(StaffMember user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        return stored is not null
            && stored.StartsWith(Prefix,
            StringComparison.Ordinal) ? protector.Unprotect(stored[Prefix.Length..]) : stored;
    }

    /// <summary>
    /// Encrypts any authenticator key still stored in plaintext. Run at start, after the schema migrations.
    /// </summary>
    public static async Task EncryptStoredKeysAsync(PortalDbContext db, IDataProtectionProvider dataProtection,
        CancellationToken cancellationToken = default)
    {
        var protector = dataProtection.CreateProtector(Purpose);
        var plain = await db.UserTokens
            .Where(t => t.LoginProvider == InternalLoginProvider && t.Name == AuthenticatorKeyName && t.Value != null
                && !t.Value.StartsWith(Prefix))
            .ToListAsync(cancellationToken);
        foreach (var token in plain) token.Value = Prefix + protector.Protect(token.Value!);
        await db.SaveChangesAsync(cancellationToken);
    }
}
