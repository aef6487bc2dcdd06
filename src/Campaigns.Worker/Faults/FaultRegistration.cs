using Campaigns.Worker.Sending;

namespace Campaigns.Worker.Faults;

public static class FaultRegistration
{
    /// <summary>Registers a fault only when a drill's configuration asks for it: production never has the hook.</summary>
    public static IHostApplicationBuilder AddFaults(this IHostApplicationBuilder builder)
    {
        var faults = builder.Configuration.GetSection(FaultOptions.SectionName).Get<FaultOptions>() ?? new FaultOptions();
        if (faults.FailBatches > 0)
        {
            builder.Services.AddOptions<FaultOptions>().BindConfiguration(FaultOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddSingleton<IBeforeSendHook, FailingBatches>();
        }
        return builder;
    }
}
