using VeloZ.Worker.Hosting;

return await WorkerProgram.RunAsync(args);
