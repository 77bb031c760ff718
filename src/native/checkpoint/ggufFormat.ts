// Constants of the GGUF file format (ggml's `gguf.h` / docs/gguf.md), shared by the writer and the
// validating reader. Layout (all little-endian):
//   "GGUF" u32 version  u64 tensor_count  u64 kv_count
//   kv_count × (string key, u32 value_type, value)
//   tensor_count × (string name, u32 n_dims, n_dims × u64 ne, u32 ggml_type, u64 offset)
//   padding to `general.alignment` (default 32), then tensor data, each tensor at an aligned offset.
// A string is u64 length + UTF-8 bytes; an array is u32 element type + u64 count + elements.

export const ggufMagic = 0x46554747; // "GGUF" read as a little-endian u32

export const GgufValueType = {
    UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8,
    ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12
} as const;
export type GgufValueType = typeof GgufValueType[keyof typeof GgufValueType];

/** Byte size of each fixed-size value type. */
export const ggufScalarBytes: Record<number, number> = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8};

/** ggml tensor types rmr1 writes. */
export const GgmlType = {F32: 0, F16: 1} as const;

/**
 * Every ggml tensor type this llama.cpp build knows: [name, elements per block, bytes per block].
 * Read from node-llama-cpp 3.21.1's bindings (`getBlockSizeForGgmlType`, `getTypeSizeForGgmlType`);
 * ids 4, 5, 31–33 and 36–38 are retired types that llama.cpp refuses.
 */
export const ggmlTypeInfo: Record<number, [name: string, blockSize: number, blockBytes: number]> = {
    0: ["F32", 1, 4], 1: ["F16", 1, 2], 2: ["Q4_0", 32, 18], 3: ["Q4_1", 32, 20], 6: ["Q5_0", 32, 22],
    7: ["Q5_1", 32, 24], 8: ["Q8_0", 32, 34], 9: ["Q8_1", 32, 36], 10: ["Q2_K", 256, 84], 11: ["Q3_K", 256, 110],
    12: ["Q4_K", 256, 144], 13: ["Q5_K", 256, 176], 14: ["Q6_K", 256, 210], 15: ["Q8_K", 256, 292],
    16: ["IQ2_XXS", 256, 66], 17: ["IQ2_XS", 256, 74], 18: ["IQ3_XXS", 256, 98], 19: ["IQ1_S", 256, 50],
    20: ["IQ4_NL", 32, 18], 21: ["IQ3_S", 256, 110], 22: ["IQ2_S", 256, 82], 23: ["IQ4_XS", 256, 136],
    24: ["I8", 1, 1], 25: ["I16", 1, 2], 26: ["I32", 1, 4], 27: ["I64", 1, 8], 28: ["F64", 1, 8],
    29: ["IQ1_M", 256, 56], 30: ["BF16", 1, 2], 34: ["TQ1_0", 256, 54], 35: ["TQ2_0", 256, 66],
    39: ["MXFP4", 32, 17], 40: ["NVFP4", 64, 36], 41: ["Q1_0", 128, 18], 42: ["Q2_0", 64, 18]
};

/** Default data alignment when `general.alignment` is absent. */
export const ggufDefaultAlignment = 32;

/** ggml's limits: at most 4 dimensions, tensor names under 64 bytes. */
export const ggmlMaxDims = 4;
export const ggmlMaxNameBytes = 63;

/** llama.cpp token types (`tokenizer.ggml.token_type`). */
export const GgufTokenType = {NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6} as const;

/** `general.file_type` values for the files rmr1 writes. */
export const GgufFileType = {ALL_F32: 0, MOSTLY_F16: 1} as const;
