//! wordfreq's `large_en` frequency ranks, read from the installed package (filled in by the profile work).
