# Cron Executor on the official Open Liberty image. Build the WAR first: mvn -B -ntp package
# Layers go from least to most often changed: server config, then features, then the app.
# The WAR carries a JNI library built for the build machine (Linux x86_64, glibc >= 2.34) that
# starts each command in a process group of its own; the Docker Hub image is Ubuntu 22.04-based
# (glibc 2.35), so it loads. util-linux's setsid is the fallback where it cannot load.
FROM open-liberty:25.0.0.11-kernel-slim-java17-openj9

RUN command -v setsid

COPY --chown=1001:0 liberty/config/ /config/
# Installs exactly the features server.xml lists.
RUN features.sh

COPY --chown=1001:0 target/cron-executor.war /config/apps/cron-executor.war
# configure.sh starts and stops the server to warm its class cache and workarea, so a container's
# first start is as fast as a restart. That start also ran the sample job on the embedded broker:
# its store must not ship in the image.
RUN configure.sh && rm -rf /output/pubsub-data

# The image's default user; commands run as this user too, never as root.
USER 1001
EXPOSE 9080 9443
