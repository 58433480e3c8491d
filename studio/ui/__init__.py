"""The studio window: widgets, canvas, panels and dialogs. Talks to the engine only through the job runner."""
