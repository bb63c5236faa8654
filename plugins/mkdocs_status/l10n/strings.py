"""Interface words for the model's enums, marked for translation."""

from __future__ import annotations

from .catalogs import N_

STATUS_LABELS = {
    "investigating": N_("Investigating"),
    "identified": N_("Identified"),
    "update": N_("Update"),
    "monitoring": N_("Monitoring"),
    "resolved": N_("Resolved"),
    "postmortem": N_("Postmortem"),
    "scheduled": N_("Scheduled"),
    "in_progress": N_("In progress"),
    "verifying": N_("Verifying"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}

# The text of the updates the build posts when a maintenance window opens or closes unposted.
AUTOMATIC_TEXTS = {
    "in_progress": N_("The scheduled maintenance is now in progress."),
    "completed": N_("The scheduled maintenance has been completed."),
}
AUTOMATIC_NOTE = N_("Posted automatically when the maintenance window was reached.")

IMPACT_LABELS = {
    "none": N_("No impact"),
    "minor": N_("Minor impact"),
    "major": N_("Major impact"),
    "critical": N_("Critical impact"),
    "maintenance": N_("Maintenance"),
}

COMPONENT_STATUS_LABELS = {
    "operational": N_("Operational"),
    "under_maintenance": N_("Under maintenance"),
    "degraded_performance": N_("Degraded performance"),
    "partial_outage": N_("Partial outage"),
    "major_outage": N_("Major outage"),
    "no_data": N_("No data"),
}

INDICATOR_LABELS = {
    "none": N_("All systems operational"),
    "minor": N_("Minor service outage"),
    "major": N_("Partial system outage"),
    "critical": N_("Major system outage"),
    "maintenance": N_("Service under maintenance"),
}

AFFECTED_LABELS = {
    "incident": N_("This incident affected"),
    "maintenance": N_("This maintenance affects"),
    "notice": N_("This notice concerns"),
}

FALLBACK_NOTICE = N_("This text is not available in %(page)s; it is shown in %(shown)s.")
MACHINE_NOTICE = N_("This text was machine translated into %(lang)s.")

# The mark of a draft in `mkdocs serve`'s preview (a published site has no drafts).
DRAFT_LABEL = N_("Draft")

KIND_LABELS = {
    "incident": N_("Incident"),
    "maintenance": N_("Maintenance"),
    "notice": N_("Notice"),
}

# A notice's two posts as its page shows them: the message, and its end (an automatic update at ends_at).
NOTICE_LABELS = {"identified": N_("Notice"), "resolved": N_("Ended")}

# Material Design icons shipped with mkdocs-material, one per status, so that
# status is never told by colour alone.
ICONS = {
    "operational": "check-circle",
    "none": "check-circle",
    "under_maintenance": "wrench",
    "maintenance": "wrench",
    "degraded_performance": "alert-circle",
    "minor": "alert-circle",
    "partial_outage": "alert",
    "major": "alert",
    "major_outage": "close-octagon",
    "critical": "close-octagon",
    "no_data": "minus-circle-outline",
    "investigating": "magnify",
    "identified": "target",
    "update": "message-text",
    "monitoring": "eye",
    "resolved": "check-circle",
    "postmortem": "file-document",
    "scheduled": "calendar-clock",
    "in_progress": "wrench",
    "verifying": "eye",
    "completed": "check-circle",
    "cancelled": "cancel",
    "draft": "pencil",
    "notice": "information",
}
