// Progressive enhancement for the server-rendered portal. Every page works without this file: it only adds
// live behaviour (copy buttons, the scope filter, enabling Create key) and hands server-opened dialogs to Bootstrap.
"use strict";

(() => {
    const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

    // Dialogs and the drawer rendered open by the server (no JavaScript needed to see them): let Bootstrap own them.
    function adoptServerOpened() {
        $$("[data-server-backdrop]").forEach(backdrop => backdrop.remove());
        $$(".modal[data-open]").forEach(el => {
            el.removeAttribute("data-open");
            el.classList.remove("show", "d-block");
            bootstrap.Modal.getOrCreateInstance(el).show();
        });
        $$(".offcanvas[data-open]").forEach(el => {
            el.removeAttribute("data-open");
            el.classList.remove("show");
            bootstrap.Offcanvas.getOrCreateInstance(el).show();
        });
    }

    // Copy buttons: data-copy="text" or data-copy-target="#element"; the label says "Copied" for a moment.
    async function copy(button) {
        const target = button.dataset.copyTarget ? document.querySelector(button.dataset.copyTarget) : null;
        const text = button.dataset.copy ?? (target && ("value" in target ? target.value : target.textContent.trim()));
        if (!text) return;
        try {
            await navigator.clipboard.writeText(text);
        } catch {
            if (target && "select" in target) target.select(); // fall back to letting the person press Ctrl+C
            return;
        }
        const label = button.querySelector("[data-copy-label]");
        if (!label) return;
        const original = label.dataset.original ?? label.textContent;
        label.dataset.original = original;
        label.textContent = "Copied";
        button.setAttribute("aria-live", "polite");
        setTimeout(() => { label.textContent = original; }, 2000);
    }

    // The create drawer: filter, Select all (visible and allowed), presets, and Create key enabled only when valid.
    function scopeCheckboxes(picker, visibleOnly) {
        return $$("input[name=scope]:not(:disabled)", picker).filter(box => !visibleOnly || !box.closest("[data-scope-row]").hidden);
    }

    function filterScopes(picker, text) {
        const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
        $$("[data-scope-row]", picker).forEach(row => {
            row.hidden = !words.every(word => row.dataset.search.includes(word));
        });
        $$("[data-scope-group]", picker).forEach(group => {
            group.hidden = $$("[data-scope-row]", group).every(row => row.hidden);
        });
        picker.querySelector("[data-scope-none]").hidden = $$("[data-scope-row]", picker).some(row => !row.hidden);
    }

    function updateCreateForm(form) {
        const named = form.querySelector("[name=name]").value.trim().length > 0;
        const scoped = $$("input[name=scope]:checked", form).length > 0;
        form.querySelector("[type=submit]").disabled = !(named && scoped);
        const custom = form.querySelector("[name=expires_in]").value === "custom";
        form.querySelector("[data-custom-expiry]").hidden = !custom;
    }

    function updateConfirmForm(form) {
        const input = form.querySelector("[data-confirm-phrase]");
        form.querySelector("[data-confirm-submit]").disabled =
            input.value.trim().toLowerCase() !== input.dataset.confirmPhrase.toLowerCase();
    }

    function init() {
        $$("[data-no-js]").forEach(el => el.classList.add("d-none"));
        $$("[data-js-only]").forEach(el => { el.hidden = false; });
        $$("[data-create-form]").forEach(updateCreateForm);
        $$("[data-confirm-form]").forEach(updateConfirmForm);

        // A key or a one-time link is in this page only because it answers a POST: a reload must not post
        // again, and closing its dialog removes it from the page.
        $$("#new-key, #one-time-link").forEach(secret => {
            history.replaceState(null, "", location.href);
            secret.addEventListener("hidden.bs.modal", () => secret.remove());
        });
        adoptServerOpened();
    }

    document.addEventListener("click", event => {
        const button = event.target.closest("[data-copy], [data-copy-target]");
        if (button) copy(button);
        const selectAll = event.target.closest("[data-scope-select-all]");
        if (selectAll) {
            const picker = selectAll.closest("[data-scope-picker]");
            scopeCheckboxes(picker, true).forEach(box => { box.checked = true; });
            updateCreateForm(picker.closest("form"));
        }
        const preset = event.target.closest("[data-scope-preset]");
        if (preset) {
            const picker = preset.closest("[data-scope-picker]");
            scopeCheckboxes(picker, false).forEach(box => {
                box.checked = preset.dataset.scopePreset === "all" || box.dataset.code === "read";
            });
            updateCreateForm(picker.closest("form"));
        }
    });

    document.addEventListener("input", event => {
        const filter = event.target.closest("[data-scope-filter]");
        if (filter) filterScopes(filter.closest("[data-scope-picker]"), filter.value);
        const createForm = event.target.closest("[data-create-form]");
        if (createForm) updateCreateForm(createForm);
        const confirmForm = event.target.closest("[data-confirm-form]");
        if (confirmForm) updateConfirmForm(confirmForm);
    });
    document.addEventListener("change", event => {
        const createForm = event.target.closest("[data-create-form]");
        if (createForm) updateCreateForm(createForm);
    });
    // Enter in the scope filter must not submit the create form.
    document.addEventListener("keydown", event => {
        if (event.key === "Enter" && event.target.matches("[data-scope-filter]")) event.preventDefault();
    });

    // Live search: leave empty fields out of the URL, as a person would write it.
    document.addEventListener("htmx:configRequest", event => {
        for (const [name, value] of Object.entries(event.detail.parameters)) {
            if (value === "") delete event.detail.parameters[name];
        }
    });

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
