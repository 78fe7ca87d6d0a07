using System.ComponentModel.DataAnnotations;

namespace DiversitySync.Portal.Components.Account;

/// <summary>A password someone chooses, typed twice: the setup link, invites and resets ask for it alike.</summary>
public class NewPassword
{
    [Required(ErrorMessage = "Choose a password."),
        StringLength(128, MinimumLength = 12, ErrorMessage = "Use at least 12 characters.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    public string ConfirmPassword { get; set; } = "";
}
