// The portal's only script of its own (CSP: script-src 'self', no inline handlers).
window.portal = {
  // Set by the interactive layout once the circuit is up; tests wait for it.
  markInteractive() {
    document.documentElement.dataset.interactive = "true";
  },
};

// Copy buttons: data-copy="text" or data-copy-target="#id". Handled in the click itself, so the browser's
// user-gesture rule for the clipboard holds (a round trip through the circuit could lose it).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy], [data-copy-target]");
  if (!button) return;
  const target = button.dataset.copyTarget ? document.querySelector(button.dataset.copyTarget) : null;
  const text = button.dataset.copy ?? target?.value ?? target?.textContent ?? "";
  try {
    await navigator.clipboard.writeText(text.trim());
    // Only attributes and a live region outside the components: Blazor owns the button's text.
    button.dataset.copied = "true";
    announce("Copied to the clipboard");
    setTimeout(() => delete button.dataset.copied, 1500);
  } catch {
    // No clipboard permission: select the text so the person can copy it themselves.
    if (target?.select) target.select();
  }
});

function announce(message) {
  let region = document.getElementById("portal-announcer");
  if (!region) {
    region = document.createElement("div");
    region.id = "portal-announcer";
    region.className = "visually-hidden";
    region.setAttribute("role", "status");
    document.body.appendChild(region);
  }
  region.textContent = message;
}
