/** The text of `nninit --help`. */
export const HELP = `Usage:
  nninit init --config <config.json | folder | name> --out <folder/ | file.safetensors | file.gguf> [options]
  nninit plan --config <config.json | folder | name> [--parts N] [--json]
                                       the folder's files, sizes, tensors and owning part
  nninit index <folder>                write a sharded folder's model.safetensors.index.json
                                       from the shards in it
  nninit info <file.safetensors | file.gguf>
                                       list a checkpoint's tensors and metadata
  nninit --list                        list the built-in configs
  nninit --help | --version

Writes a randomly initialized checkpoint with the tensor names, shapes and init conventions of
Hugging Face transformers (model_type llama, mistral, qwen2, gpt2, gemma, qwen3, phi3, mixtral,
bert). Memory stays bounded (2 x 32 MiB buffers) whatever the model's size; the file is written to a
temporary name in the same directory, synced, and renamed, so a failed run leaves no file under
the output name.

A folder (--out ending in a slash, or an existing directory) is what transformers'
save_pretrained writes and from_pretrained(folder) opens: config.json with torch_dtype set, and
model.safetensors, or above --max-shard-size model-0000i-of-0000N.safetensors shards plus
model.safetensors.index.json (split as huggingface_hub splits). The folder and its parents are
created; config.json and the index are written last, only once every weight file is in place.

Options of init:
  -c, --config <path|name>  a config.json, a folder holding one, or a built-in name (see --list)
  -o, --out <path>          the folder (folder/) or the .safetensors file to write
  -d, --dtype <type>        bf16 | f16 | f32 | f64 (default: the config's torch_dtype, else f32)
  -s, --seed <n>            seed in [0, 2^64) (default: random; printed and stored in the file)
  -t, --threads <n>         threads of the native backend (default: all cores)
      --no-scaled-residual  GPT-2: c_proj weights at initializer_range instead of
                            initializer_range / sqrt(2 * n_layer) (transformers' default)
      --progress <mode>     auto | tty | plain | none (auto: a bar on a terminal, else lines)
  -q, --quiet               no progress and no summary
      --max-shard-size <size>  largest shard of a folder, e.g. 5GB (default), 200MB, 4GiB
      --part <i/N | auto>   write only part i of N (0-based) of a folder, for N processes or
                            machines sharing it; needs --seed. The union of the parts is the
                            folder one process writes, byte for byte. auto: from the scheduler,
                            SLURM_ARRAY_TASK_ID/_COUNT (Slurm arrays), JOB_COMPLETION_INDEX
                            (Kubernetes Indexed Jobs, with --parts), RANK/WORLD_SIZE (torchrun)
      --parts <N>           the part count for --part auto (or for plan)
      --format <fmt>        safetensors (default) | gguf (also chosen by an --out ending in .gguf):
                            a GGUF file for llama.cpp (llama, mistral, qwen2, qwen3, gemma, phi3,
                            mixtral, gpt2, bert), --dtype f32 | f16 | bf16 | q8_0 | q4_0 (default: the
                            config's torch_dtype, else f16)
      --tokenizer <file>    GGUF: copy the tokenizer of this .gguf (default: a synthetic one)
`;
