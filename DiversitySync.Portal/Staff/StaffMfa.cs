using System.Text;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Staff;

/// <summary>The authenticator a staff member is enrolling: the shared key to type in, or the otpauth link for the app.</summary>
/// <param name="NewKey">A key was made just now, which changed the security stamp: the caller renews this person's session.</param>
public sealed record MfaEnrolment(bool Enabled, string? SharedKey, string? AuthenticatorUri, bool NewKey = false);

/// <summary>
/// TOTP enrolment from one's own profile (RFC 6238, as Identity's authenticator provider implements it): only ever
/// for the acting staff member themselves, while they are active. Changing the authenticator changes the security
/// stamp, which ends other sessions; it takes a revision too, so their open portal pages, here and on other
/// instances, hear of it (P-12).
/// </summary>
public sealed class StaffMfa(UserManager<StaffMember> users, ActorAccess access, PortalDbContext db, IOptions<PortalOptions> portal, TimeProvider time)
{
    public async Task<Outcome<MfaEnrolment>> EnrolmentAsync(Actor actor)
    {
        if (await SelfAsync(actor) is not { } staff) return Refusal.NoStanding;
        if (staff.TwoFactorEnabled) return new MfaEnrolment(true, null, null);
        var key = await users.GetAuthenticatorKeyAsync(staff);
        var made = string.IsNullOrEmpty(key);
        if (made)
        {
            await ChangingStampAsync(() => users.ResetAuthenticatorKeyAsync(staff));
            key = (await users.GetAuthenticatorKeyAsync(staff))!;
        }
        var issuer = Uri.EscapeDataString(portal.Value.OrganisationName + " Portal");
        return new MfaEnrolment(false, Grouped(key!), $"otpauth://totp/{issuer}:{Uri.EscapeDataString(staff.Email!)}?secret={key}&issuer={issuer}&digits=6", made);
    }

    /// <summary>Turns two-step sign-in on once the app shows a code that verifies. Null: on.</summary>
    public async Task<Refusal?> EnableAsync(Actor actor, string code)
    {
        if (await SelfAsync(actor) is not { } staff) return Refusal.NoStanding;
        if (CodeOf(code) is not { } normalized || !await users.VerifyTwoFactorTokenAsync(staff, users.Options.Tokens.AuthenticatorTokenProvider, normalized))
        {
            return Refusal.Invalid("That code did not match. Check the key in your app and the time on your phone, then try the new code.");
        }
        await ChangingStampAsync(async () =>
        {
            db.Record(actor, AuditActions.StaffMfaEnabled, time.GetUtcNow().UtcDateTime, AuditTargets.Staff, staff.Id);
            return await users.SetTwoFactorEnabledAsync(staff, true);
        });
        return null;
    }

    /// <summary>A change that gives this person a new security stamp, in one transaction with a new revision.</summary>
    private async Task ChangingStampAsync(Func<Task<IdentityResult>> change)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var result = await change();
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        await db.NextRevisionAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The acting staff member's own account, while they may still act.</summary>
    private async Task<StaffMember?> SelfAsync(Actor actor) =>
        actor.Type == Actor.StaffType && await access.CurrentAsync(db, actor) is not null ? await users.FindByIdAsync(actor.Id!) : null;

    /// <summary>The six digits as typed ("123 456" and "123-456" too), or null when it cannot be a code at all.</summary>
    public static string? CodeOf(string typed)
    {
        var code = typed.Replace(" ", "").Replace("-", "");
        return code.Length == 6 && code.All(char.IsAsciiDigit) ? code : null;
    }

    private static string Grouped(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4) text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        return text.ToString().TrimEnd().ToLowerInvariant();
    }
}
