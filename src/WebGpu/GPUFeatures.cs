namespace WebGpu;

/// <summary>
/// The names of WGPUFeatureName values in the Dawn build this library ships with. The numbering differs
/// between Dawn revisions (kommander/bun-webgpu's structs_def.ts is off from 0x50005 on for this build),
/// so this table was read off the build itself: requestDevice names each value it does not support in its
/// error message, and the supported values fall between them. FeatureNamesMatchDawn checks every entry.
/// </summary>
internal static class GPUFeatures
{
    private static readonly Dictionary<uint, string> Names = new()
    {
        [0x00000001] = "depth-clip-control",
        [0x00000002] = "depth32float-stencil8",
        [0x00000003] = "timestamp-query",
        [0x00000004] = "texture-compression-bc",
        [0x00000005] = "texture-compression-bc-sliced-3d",
        [0x00000006] = "texture-compression-etc2",
        [0x00000007] = "texture-compression-astc",
        [0x00000008] = "texture-compression-astc-sliced-3d",
        [0x00000009] = "indirect-first-instance",
        [0x0000000A] = "shader-f16",
        [0x0000000B] = "rg11b10ufloat-renderable",
        [0x0000000C] = "bgra8unorm-storage",
        [0x0000000D] = "float32-filterable",
        [0x0000000E] = "float32-blendable",
        [0x0000000F] = "clip-distances",
        [0x00000010] = "dual-source-blending",
        [0x00000011] = "subgroups",
        [0x00000012] = "core-features-and-limits",
        [0x00050000] = "dawn-internal-usages",
        [0x00050001] = "dawn-multi-planar-formats",
        [0x00050002] = "dawn-native",
        [0x00050003] = "chromium-experimental-timestamp-query-inside-passes",
        [0x00050004] = "implicit-device-synchronization",
        [0x00050006] = "transient-attachments",
        [0x00050007] = "msaa-render-to-single-sampled",
        [0x00050008] = "d3d11-multithread-protected",
        [0x00050009] = "angle-texture-sharing",
        [0x0005000A] = "pixel-local-storage-coherent",
        [0x0005000B] = "pixel-local-storage-non-coherent",
        [0x0005000C] = "unorm16-texture-formats",
        [0x0005000D] = "snorm16-texture-formats",
        [0x0005000E] = "multi-planar-format-extended-usages",
        [0x0005000F] = "multi-planar-format-p010",
        [0x00050010] = "host-mapped-pointer",
        [0x00050011] = "multi-planar-render-targets",
        [0x00050012] = "multi-planar-format-nv12a",
        [0x00050013] = "framebuffer-fetch",
        [0x00050014] = "buffer-map-extended-usages",
        [0x00050015] = "adapter-properties-memory-heaps",
        [0x00050016] = "adapter-properties-d3d",
        [0x00050017] = "adapter-properties-vk",
        [0x00050018] = "r8unorm-storage",
        [0x00050019] = "dawn-format-capabilities",
        [0x0005001A] = "dawn-drm-format-capabilities",
        [0x0005001B] = "norm16-texture-formats",
        [0x0005001C] = "multi-planar-format-nv16",
        [0x0005001D] = "multi-planar-format-nv24",
        [0x0005001E] = "multi-planar-format-p210",
        [0x0005001F] = "multi-planar-format-p410",
        [0x00050020] = "shared-texture-memory-vk-dedicated-allocation",
        [0x00050021] = "shared-texture-memory-a-hardware-buffer",
        [0x00050022] = "shared-texture-memory-dma-buf",
        [0x00050023] = "shared-texture-memory-opaque-fd",
        [0x00050024] = "shared-texture-memory-zircon-handle",
        [0x00050025] = "shared-texture-memory-dxgi-shared-handle",
        [0x00050026] = "shared-texture-memory-d3d11-texture2d",
        [0x00050027] = "shared-texture-memory-iosurface",
        [0x00050028] = "shared-texture-memory-egl-image",
        [0x00050029] = "shared-fence-vk-semaphore-opaque-fd",
        [0x0005002A] = "shared-fence-sync-fd",
        [0x0005002B] = "shared-fence-vk-semaphore-zircon-handle",
        [0x0005002C] = "shared-fence-dxgi-shared-handle",
        [0x0005002D] = "shared-fence-mtl-shared-event",
        [0x0005002E] = "shared-buffer-memory-d3d12-resource",
        [0x0005002F] = "static-samplers",
        [0x00050030] = "y-cb-cr-vulkan-samplers",
        [0x00050031] = "shader-module-compilation-options",
        [0x00050032] = "dawn-load-resolve-texture",
        [0x00050033] = "dawn-partial-load-resolve-texture",
        [0x00050034] = "multi-draw-indirect",
        [0x00050035] = "dawn-texel-copy-buffer-row-alignment",
        [0x00050036] = "flexible-texture-views",
        [0x00050037] = "chromium-experimental-subgroup-matrix",
        [0x00050038] = "shared-fence-egl-sync",
        [0x00050039] = "dawn-device-allocator-control",
        [0x0005003A] = "texture-formats-tier1",
    };

    private static readonly Dictionary<string, uint> Values = Names.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>Every known feature, by value.</summary>
    public static IReadOnlyDictionary<uint, string> All => Names;

    /// <summary>The feature's WebGPU name, or its number when this build's table does not know it.</summary>
    public static string Name(uint value) => Names.TryGetValue(value, out var name) ? name : $"unknown-0x{value:X8}";

    /// <summary>The WGPUFeatureName of a feature name.</summary>
    public static uint Value(string name) =>
        Values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"'{name}' is not a WebGPU feature this Dawn build knows.", nameof(name));
}
