"""The frozen types the stages pass to each other, and the problems they report. No I/O."""
