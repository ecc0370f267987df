/** The text of `nninit --help`. */
export const HELP = `Usage:
  nninit init --config <config.json | name> --out <file.safetensors> [options]
  nninit info <file.safetensors>       list a checkpoint's tensors and nninit metadata
  nninit --list                        list the built-in configs
  nninit --help | --version

Writes a randomly initialized checkpoint with the tensor names, shapes and init conventions of
Hugging Face transformers (model_type llama, mistral, qwen2, gpt2). Memory stays bounded (2 x 32 MiB
buffers) whatever the model's size; the file is written to a temporary name in the same
directory, synced, and renamed, so a failed run leaves no file under the output name.

Options of init:
  -c, --config <path|name>  a config.json, or a built-in config name (see --list)
  -o, --out <path>          the .safetensors file to write
  -d, --dtype <type>        bf16 | f16 | f32 | f64 (default f32)
  -s, --seed <n>            seed in [0, 2^64) (default: random; printed and stored in the file)
  -t, --threads <n>         threads of the native backend (default: all cores)
      --no-scaled-residual  GPT-2: c_proj weights at initializer_range instead of
                            initializer_range / sqrt(2 * n_layer) (transformers' default)
      --progress <mode>     auto | tty | plain | none (auto: a bar on a terminal, else lines)
  -q, --quiet               no progress and no summary
`;
