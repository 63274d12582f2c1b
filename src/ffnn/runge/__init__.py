"""The Runge regression study (Section III.A): one network setting fitted over restarts, scored in MSE."""
