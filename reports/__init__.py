"""The weekly export for the governor's office (Monday inflation-control meeting)."""
