using DiversitySync.Portal.Audit;
using DiversitySync.Portal.RateLimiting;
using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.Identity;

namespace DiversitySync.Portal.Components.Account;

public enum SignInOutcome
{
    SignedIn,
    /// <summary>
    /// The password was right; the authenticator code comes next (<see cref="StaffSignIn.WithCodeAsync"/>).
    /// </summary>
    NeedsCode,
    /// <summary>
    /// Wrong email, password or code, or a locked, blocked or archived account: the page says the same for all.
    /// </summary>
    Failed,
    Throttled,
}

public sealed record SignInAttempt(SignInOutcome Outcome, int RetryAfterSeconds = 0);

/// <summary>
/// Password sign-in (P-08): each client IP is limited in failed attempts; an account locks for 15 minutes after 10
/// failures from addresses it has never signed in from, while the addresses it has signed in from neither count
/// towards that nor are stopped by it, so an attacker locks out only themselves. Every attempt is audited with its
/// real reason while the page says only "incorrect email or password", locked or not, so nobody learns which
/// accounts exist, are locked or are blocked.
/// </summary>
public sealed class StaffSignIn(
    SignInManager<StaffMember> signIn, UserManager<StaffMember> users, RateLimits limits, AuditQueue audit,
    TimeProvider time, ILogger<StaffSignIn> logger)
{
    // Verified against when the email is unknown, so that answer takes as long as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() => new PasswordHasher<StaffMember>().HashPassword(null!,
        "decoy password for timing"));

    public async Task<SignInAttempt> WithPasswordAsync(string email, string password, string clientIp)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var actor = new Actor(Actor.StaffType, null, email, clientIp);
        var wait = limits.SignIn(clientIp,
            () => AuditLog.Event(actor, AuditActions.RateLimited, now,
            detail: "portal sign-in from this IP (further refusals this minute not recorded)"));
        if (wait is { } seconds) return new(SignInOutcome.Throttled, seconds);

        var staff = await users.FindByEmailAsync(email);
        if (staff is null)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DecoyHash.Value, password);
            return Failed(actor, null, "unknown email", clientIp, now);
        }
        actor = actor with { Id = staff.Id, Name = staff.DisplayName };
        var result = await signIn.PasswordSignInAsync(staff, password, isPersistent: false,
            lockoutOnFailure: !staff.SignedInBefore(clientIp));
        if (result.Succeeded)
        {
            await RememberAsync(staff, clientIp);
            audit.Enqueue(AuditLog.Event(actor, AuditActions.SignInSucceeded, now, AuditTargets.Staff, staff.Id));
            return new(SignInOutcome.SignedIn);
        }
        if (result.RequiresTwoFactor) return new(SignInOutcome.NeedsCode);
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: staff member {StaffId} is locked out after repeated failures",
                staff.Id);
        }
        var reason = result.IsLockedOut ? "locked out" : result.IsNotAllowed ? $"account " +
            $"{staff.Status.ToString().ToLowerInvariant()}" : "wrong password";
        return Failed(actor, staff.Id, reason, clientIp, now);
    }

    /// <summary>
    /// The second step for staff with an authenticator: the code, for the person whose password was just checked
    /// (Identity keeps them in a short-lived cookie). Wrong codes count towards the same lockout as wrong passwords.
    /// </summary>
    public async Task<SignInAttempt> WithCodeAsync(string code, string clientIp)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } staff) return new(SignInOutcome.Failed);
        var actor = new Actor(Actor.StaffType, staff.Id, staff.DisplayName, clientIp);
        var result = StaffMfa.CodeOf(code) is { } normalized
            ? await signIn.TwoFactorAuthenticatorSignInAsync(normalized, isPersistent: false, rememberClient: false)
            : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        if (result.Succeeded)
        {
            await RememberAsync(staff, clientIp);
            audit.Enqueue(AuditLog.Event(actor, AuditActions.SignInSucceeded, now, AuditTargets.Staff, staff.Id,
                "with authenticator code"));
            return new(SignInOutcome.SignedIn);
        }
        return Failed(actor, staff.Id, result.IsLockedOut ? "locked out" : "wrong authenticator code", clientIp, now);
    }

    private async Task RememberAsync(StaffMember staff, string clientIp)
    {
        staff.RememberSignIn(clientIp);
        await users.UpdateAsync(staff);
    }

    private SignInAttempt Failed(Actor actor, string? staffId, string reason, string clientIp, DateTime now)
    {
        limits.FailedSignIn(clientIp);
        audit.Enqueue(AuditLog.Event(actor, AuditActions.SignInFailed, now, staffId is null ? null : AuditTargets.Staff,
            staffId, reason));
        return new(SignInOutcome.Failed);
    }

}

/// <summary>
/// Only active staff may sign in: invited, blocked and archived accounts are refused before the password is checked.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<StaffMember> users, IHttpContextAccessor http, IUserClaimsPrincipalFactory<StaffMember> claims,
    Microsoft.Extensions.Options.IOptions<IdentityOptions> options, ILogger<SignInManager<StaffMember>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffMember> confirmation)
    : SignInManager<StaffMember>(users, http, claims, options, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(StaffMember user) => user.Status == StaffStatus.Active
        && await base.CanSignInAsync(user);

    /// <summary>The lockout stops strangers only: not an address this person has signed in from before.</summary>
    protected override async Task<bool> IsLockedOut(StaffMember user) =>
        !user.SignedInBefore(Context.ClientIp()) && await base.IsLockedOut(user);
}
