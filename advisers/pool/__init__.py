"""The district's legal talent pool (法律人才库, seed 七.1): its legal professionals, with their
consent to be listed, the recommendation of one of them to the panel, and the departments'
designated legal-affairs staff with the yearly trainings the district runs for them (七.3)."""
