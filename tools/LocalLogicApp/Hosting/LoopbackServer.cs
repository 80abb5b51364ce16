using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace LocalLogicApp.Hosting;

/// <summary>
/// The one way the local app builds its small HTTP servers (the intake and the stand-ins): Kestrel on 127.0.0.1, no
/// logging, and no configuration files. The content root is the tool's own folder, not the working directory: ASP.NET
/// Core watches its content root for appsettings changes, and the working directory is the repository, where the app's
/// storage and databases change thousands of times a second (every watcher then reads every change).
/// </summary>
public static class LoopbackServer
{
    public static WebApplicationBuilder CreateBuilder(string applicationName, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        return builder;
    }
}
