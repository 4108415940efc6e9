"""What the dashboard pages share: translations, formatting, figures, tables, CLI jobs."""

from ui.router import leave_legacy_page_mode

leave_legacy_page_mode()
