"""The pages that compose every app for a person: the worker's home and the manager's pages.
A composition part: it reads the apps above the learner core through their selectors and services."""
