using System.Text;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Staff;

/// <summary>The authenticator a staff member is enrolling: the shared key to type in, or the otpauth link for the app.</summary>
public sealed record MfaEnrolment(bool Enabled, string? SharedKey, string? AuthenticatorUri);

/// <summary>
/// TOTP enrolment from one's own profile (RFC 6238, as Identity's authenticator provider implements it). Changing
/// the authenticator changes the security stamp, which ends other sessions; this one is re-issued so it carries on.
/// </summary>
public sealed class StaffMfa(UserManager<StaffMember> users, SignInManager<StaffMember> signIn, PortalDbContext db, IOptions<PortalOptions> portal, TimeProvider time)
{
    public async Task<MfaEnrolment> EnrolmentAsync(string staffId)
    {
        var staff = await users.FindByIdAsync(staffId) ?? throw new InvalidOperationException("The signed-in staff member no longer exists.");
        if (staff.TwoFactorEnabled) return new(true, null, null);
        var key = await users.GetAuthenticatorKeyAsync(staff);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(staff);
            await signIn.RefreshSignInAsync(staff);
            key = (await users.GetAuthenticatorKeyAsync(staff))!;
        }
        var issuer = Uri.EscapeDataString(portal.Value.OrganisationName + " Portal");
        return new(false, Grouped(key), $"otpauth://totp/{issuer}:{Uri.EscapeDataString(staff.Email!)}?secret={key}&issuer={issuer}&digits=6");
    }

    /// <summary>Turns two-step sign-in on once the app shows a code that verifies. False: the code was wrong.</summary>
    public async Task<bool> EnableAsync(string staffId, string code, Actor actor)
    {
        var staff = await users.FindByIdAsync(staffId) ?? throw new InvalidOperationException("The signed-in staff member no longer exists.");
        if (CodeOf(code) is not { } normalized) return false;
        if (!await users.VerifyTwoFactorTokenAsync(staff, users.Options.Tokens.AuthenticatorTokenProvider, normalized)) return false;
        await users.SetTwoFactorEnabledAsync(staff, true);
        db.Record(actor, AuditActions.StaffMfaEnabled, time.GetUtcNow().UtcDateTime, AuditTargets.Staff, staff.Id);
        await db.SaveChangesAsync();
        await signIn.RefreshSignInAsync(staff);
        return true;
    }

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
