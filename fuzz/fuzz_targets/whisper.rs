//! Fuzz target: the Whisper transcript reader, checked by [`podcorpus_fuzz::check_caption_reader`].
#![no_main]
use libfuzzer_sys::fuzz_target;
use podcorpus_formats::Format;

fuzz_target!(|data: &[u8]| podcorpus_fuzz::check_caption_reader(Format::Whisper, data));
