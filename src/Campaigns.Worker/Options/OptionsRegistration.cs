namespace Campaigns.Worker.Options;

public static class OptionsRegistration
{
    public static IHostApplicationBuilder AddWorkerOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SenderOptions>().BindConfiguration(SenderOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ChannelsOptions>().BindConfiguration(ChannelsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ShortLinkOptions>().BindConfiguration(ShortLinkOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
