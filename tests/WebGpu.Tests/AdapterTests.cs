namespace WebGpu.Tests;

[Collection(GpuCollection.Name)]
public sealed class AdapterTests(GpuFixture gpu)
{
    [Fact]
    public async Task Enumeration_returns_usable_distinct_adapters_with_their_info()
    {
        var adapters = await GPU.EnumerateAdaptersAsync();
        try
        {
            Assert.NotEmpty(adapters);
            Assert.All(adapters, a => Assert.NotEqual(GPUBackendType.Null, a.Info.Backend));
            Assert.Equal(adapters.Count, adapters.Select(a => a.Info).Distinct().Count());
            Assert.All(adapters, a => Assert.False(string.IsNullOrEmpty(a.Info.Description)));
        }
        finally
        {
            foreach (var adapter in adapters)
            {
                adapter.Dispose();
            }
        }
    }

    [Fact]
    public void Info_limits_and_features_are_read_through_the_native_structs()
    {
        var info = gpu.Adapter.Info;
        Assert.True(Enum.IsDefined(info.Backend));
        Assert.True(Enum.IsDefined(info.AdapterType));
        // WebGPU's guaranteed minimums: any real adapter reports at least these.
        var limits = gpu.Adapter.Limits;
        Assert.True(limits.MaxStorageBufferBindingSize >= 128UL << 20);
        Assert.True(limits.MaxComputeInvocationsPerWorkgroup >= 256);
        Assert.True(limits["maxComputeWorkgroupSizeX"] >= 256);
        Assert.True(limits.MaxComputeWorkgroupsPerDimension >= 65535);
        Assert.True(limits.MaxBufferSize >= 256UL << 20);
        Assert.True(limits["maxBindGroups"] >= 4);
        Assert.All(gpu.Adapter.Features, name => Assert.DoesNotContain("unknown", name));
    }

    [Fact]
    public async Task Required_limits_round_trip_into_the_device()
    {
        using var device = await gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor
        {
            RequiredLimits = new Dictionary<string, ulong>
            {
                ["maxStorageBufferBindingSize"] = gpu.Adapter.Limits.MaxStorageBufferBindingSize,
                ["maxComputeWorkgroupStorageSize"] = gpu.Adapter.Limits.MaxComputeWorkgroupStorageSize,
            },
        });
        Assert.Equal(gpu.Adapter.Limits.MaxStorageBufferBindingSize, device.Limits.MaxStorageBufferBindingSize);
        Assert.Equal(gpu.Adapter.Limits.MaxComputeWorkgroupStorageSize, device.Limits.MaxComputeWorkgroupStorageSize);
    }

    [Fact]
    public async Task Every_limit_round_trips_at_the_adapters_best_value()
    {
        // Fields that are not real limits in this revision, or that Dawn derives, would come back different if the struct were misaligned.
        using var device = await gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { RequiredLimits = gpu.Adapter.Limits.Values.ToDictionary() });
        Assert.Equal(gpu.Adapter.Limits.Values.OrderBy(p => p.Key), device.Limits.Values.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task A_limit_beyond_the_adapter_is_refused_with_dawns_message()
    {
        var e = await Assert.ThrowsAnyAsync<GPUException>(() => gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor
        {
            RequiredLimits = new Dictionary<string, ulong> { ["maxBindGroups"] = gpu.Adapter.Limits["maxBindGroups"] + 1000 },
        }));
        Assert.Contains("requestDevice failed", e.Message);
        Assert.Throws<ArgumentException>(() => { _ = gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { RequiredFeatures = ["no-such-feature"] }); });
    }

    [Fact]
    public async Task Destroying_a_device_reports_it_lost()
    {
        var device = await gpu.Adapter.RequestDeviceAsync();
        device.Destroy();
        var lost = await device.Lost.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(GPUDeviceLostReason.Destroyed, lost.Reason);
        device.Dispose();
    }
}

[Collection(GpuCollection.Name)]
public sealed class FeatureNameTests(GpuFixture gpu)
{
    /// <summary>
    /// The feature table must match the Dawn build: for every feature the adapter lacks, Dawn's own
    /// refusal names the value it was given, and that name must be the table's (ignoring case and dashes).
    /// </summary>
    [Fact]
    public async Task FeatureNamesMatchDawn()
    {
        foreach (var (value, name) in GPUFeatures.All)
        {
            if (gpu.Adapter.Features.Contains(name))
            {
                continue;
            }
            var e = await Assert.ThrowsAnyAsync<GPUException>(() => gpu.Adapter.RequestDeviceAsync(new GPUDeviceDescriptor { RequiredFeatures = [name] }));
            string Normalize(string text) => text.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
            Assert.True(Normalize(e.Message).Contains(Normalize(name), StringComparison.Ordinal), $"0x{value:X}: the table says '{name}', Dawn says: {e.Message}");
        }
    }
}
