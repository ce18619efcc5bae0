"""Weekly records: the rollup that turns learning events (lms) and work results (assignment) into one
WeeklyRecord per worker and week. A composition part: it reads the apps above the learner core."""
