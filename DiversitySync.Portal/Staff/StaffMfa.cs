using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Staff;

/// <summary>
/// The authenticator a staff member is enrolling: the shared key to type in, or the otpauth link for the app.
/// </summary>
/// <param name="NewKey">A key was made just now, which changed the security stamp: the caller renews this person's
/// session.</param>
public sealed record MfaEnrolment(bool Enabled, string? SharedKey, string? AuthenticatorUri, bool NewKey = false);

/// <summary>
/// TOTP enrolment from one's own profile (RFC 6238, as Identity's authenticator provider implements it): only ever
/// for the acting staff member themselves, while they are active. Changing the authenticator changes the security
/// stamp, which ends other sessions; it takes a revision too, so their open portal pages, here and on other
/// instances, hear of it (P-12).
/// </summary>
public sealed class StaffMfa(UserManager<StaffMember> users, UnitOfWork writes, IOptions<PortalOptions> portal)
{
    /// <summary>
    /// The authenticator to enrol: made now (audited, a new security stamp) the first time it is asked for.
    /// </summary>
    public Task<Outcome<MfaEnrolment>> EnrolmentAsync(Actor actor) =>
        writes.RunAsync<MfaEnrolment>(actor, InPerson, async change =>
        {
            var staff = (await users.FindByIdAsync(actor.Id!))!;
            if (staff.TwoFactorEnabled)
            {
                change.Unchanged();
                return new MfaEnrolment(true, null, null);
            }
            var key = await users.GetAuthenticatorKeyAsync(staff);
            var made = string.IsNullOrEmpty(key);
            if (!made)
            {
                change.Unchanged();
            }
            else if (await ChangingStampAsync(change, () => users.ResetAuthenticatorKeyAsync(staff)) is { } failed)
            {
                return failed;
            }
            else
            {
                change.Audit(AuditActions.StaffMfaKeyCreated, AuditTargets.Staff, staff.Id);
                key = (await users.GetAuthenticatorKeyAsync(staff))!;
            }
            var issuer = Uri.EscapeDataString(portal.Value.OrganisationName + " Portal");
            return new MfaEnrolment(false, Grouped(key!),
                $"otpauth://totp/{issuer}:{Uri.EscapeDataString(staff.Email!)}?secret={key}&issuer={issuer}&digits=6",
                made);
        });

    /// <summary>Turns two-step sign-in on once the app shows a code that verifies.</summary>
    public Task<Outcome<bool>> EnableAsync(Actor actor, string code) =>
        writes.RunAsync<bool>(actor, InPerson, async change =>
        {
            var staff = (await users.FindByIdAsync(actor.Id!))!;
            if (CodeOf(code) is not { } normalized
                || !await users.VerifyTwoFactorTokenAsync(staff, users.Options.Tokens.AuthenticatorTokenProvider,
                normalized))
            {
                return Refusal.Invalid("That code did not match. Check the key in your app and the time on your " +
                    "phone, then try the new code.");
            }
            if (await ChangingStampAsync(change, () => users.SetTwoFactorEnabledAsync(staff, true)) is { } failed)
            {
                return failed;
            }
            change.Audit(AuditActions.StaffMfaEnabled, AuditTargets.Staff, staff.Id);
            return true;
        });

    /// <summary>
    /// Only for the acting staff member themselves, signed in: never through a key, never for someone else.
    /// </summary>
    private static Refusal? InPerson(Access acting) =>
        acting.InPerson ? null : Refusal.Forbidden("Two-step sign-in is set up by each staff member, signed in.");

    /// <summary>
    /// A change that gives this person a new security stamp, with a new revision so their other sessions hear of it.
    /// </summary>
    private static async Task<Refusal?> ChangingStampAsync(Change change, Func<Task<IdentityResult>> write)
    {
        if (StaffChangeRunner.Failed(await write()) is { } failed) return failed;
        await change.RevisionAsync(CancellationToken.None);
        return null;
    }

    /// <summary>
    /// The six digits as typed ("123 456" and "123-456" too), or null when it cannot be a code at all.
    /// </summary>
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
