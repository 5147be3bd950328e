"""The Textual face of the house. Screens call budget services and add no rules."""
