// The part of the WebAssembly JS API the native kernels use. The project compiles against lib
// ES2022 without DOM, which is where TypeScript keeps these types; Node 20 has them at runtime.
declare global {
    namespace WebAssembly {
        interface MemoryDescriptor {
            initial: number;
            maximum?: number;
            shared?: boolean;
        }
        class Memory {
            constructor(descriptor: MemoryDescriptor);
            readonly buffer: ArrayBuffer;
            grow(deltaPages: number): number;
        }
        class Module {
            constructor(bytes: ArrayBufferView | ArrayBuffer);
        }
        type Exports = Record<string, unknown>;
        type Imports = Record<string, Record<string, unknown>>;
        class Instance {
            constructor(module: Module, imports?: Imports);
            readonly exports: Exports;
        }
        function compile(bytes: ArrayBufferView | ArrayBuffer): Promise<Module>;
        function instantiate(module: Module, imports?: Imports): Promise<Instance>;
    }
}

export {};
