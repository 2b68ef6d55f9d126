# Cron Executor on the official Open Liberty image. Build the WAR first: mvn -B -ntp package
# Layers go from least to most often changed: server config, then features, then the app.
# The Docker Hub image is Ubuntu-based, so util-linux's setsid is there: the executor needs it to
# give every command a process group it can stop as a whole.
FROM open-liberty:25.0.0.11-kernel-slim-java17-openj9

RUN command -v setsid

COPY --chown=1001:0 liberty/config/ /config/
# Installs exactly the features server.xml lists.
RUN features.sh

COPY --chown=1001:0 target/cron-executor.war /config/apps/cron-executor.war
RUN configure.sh

# The image's default user; commands run as this user too, never as root.
USER 1001
EXPOSE 9080 9443
