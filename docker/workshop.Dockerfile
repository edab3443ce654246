# A workshop image: JupyterLab on a ready student folder, nothing phoning home.
# UNTESTED in the session that wrote it (no network there). Build from the repository root:
#   docker build -f docker/workshop.Dockerfile -t osint-workshop .
#   docker run --rm -p 127.0.0.1:8888:8888 osint-workshop
FROM python:3.11-slim
RUN useradd --create-home student
WORKDIR /opt/osint_kit
COPY . /opt/osint_kit
RUN pip install --no-cache-dir -e ".[lab]"
USER student
WORKDIR /home/student
RUN osint-kit workshop build --student /home/student/workshop
EXPOSE 8888
# 0.0.0.0 inside the container only; publish the port to 127.0.0.1 on the host (see above).
CMD ["python", "-m", "jupyterlab", "--notebook-dir=/home/student/workshop", \
     "--config=/home/student/workshop/jupyter_lab_config.py", "--ServerApp.ip=0.0.0.0", \
     "--no-browser"]
