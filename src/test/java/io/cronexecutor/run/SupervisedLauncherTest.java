package io.cronexecutor.run;

import java.io.IOException;

/** The setsid(1) fallback, used where the native library cannot load. */
class SupervisedLauncherTest extends ProcessRunnerContract {

    @Override
    ProcessLauncher newLauncher() {
        return new SupervisedLauncher();
    }

    @Override
    long reaperPid(ProcessLauncher launcher) throws IOException {
        return ((SupervisedLauncher) launcher).reaperPid();
    }
}
