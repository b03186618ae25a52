"""Provides the motion feature: the screens of a session as timed frames, exported as an asciicast or an animated SVG,
and the loss curve's animation over the training steps."""
