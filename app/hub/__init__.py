"""The Adolescent Safety Hub's queue: enquiries acknowledged and decided within one working day."""
