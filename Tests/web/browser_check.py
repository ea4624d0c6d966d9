"""Opens `moodline serve`'s pages in headless Chromium (Debian's, driven by Selenium through Debian's
chromium-driver) and checks them as a person would; exits 1 on the first failure.

Usage: python3 browser_check.py http://127.0.0.1:PORT VIDEO NOT_A_VIDEO.mp4 CAMERA.mjpeg SCREENSHOT_FOLDER

The camera file plays as the webcam (Chromium's fake capture device).
"""
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def check(condition, message):
    if not condition:
        print("FAILED:", message)
        sys.exit(1)


def browser(camera):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400",
                     "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                     f"--use-file-for-fake-video-capture={camera}", "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def body_data(driver, name):
    return driver.execute_script(f"return document.body.dataset.{name} || null;")


def upload(driver, address, path, options=None):
    driver.get(address + "/")
    driver.find_element(By.ID, "files").send_keys(path)
    if options:
        driver.find_element(By.CSS_SELECTOR, "#options summary").click()
        for field, value in options.items():
            driver.find_element(By.ID, field).send_keys(value)
    driver.find_element(By.ID, "start").click()


def main(address, video, fake_video, camera, screenshots):
    driver = browser(camera)
    try:
        # A file that is not a video: the page says why, naming it.
        upload(driver, address, fake_video)
        WebDriverWait(driver, 60).until(lambda d: d.find_element(By.ID, "stage").get_attribute("class") == "error")
        stage = driver.find_element(By.ID, "stage").text
        check(os.path.basename(fake_video) in stage and "not a video or photo" in stage, stage)

        # The options: the server's pipelines offered, its own first; a range the command line would refuse is
        # refused with its reason.
        driver.get(address + "/")
        driver.find_element(By.CSS_SELECTOR, "#options summary").click()
        offered = [o.text for o in driver.find_elements(By.CSS_SELECTOR, "#pipeline option")]
        check(offered == ["interview", "fast"], f"the pipelines offered: {offered}")
        driver.save_screenshot(os.path.join(screenshots, "serve-options.png"))
        upload(driver, address, video, {"from": "soon"})
        WebDriverWait(driver, 60).until(lambda d: d.find_element(By.ID, "stage").get_attribute("class") == "error")
        stage = driver.find_element(By.ID, "stage").text
        check("--start" in stage, stage)

        # The sample from 0:05 to 0:15: progress, then the report in the page and every output to download.
        upload(driver, address, video, {"from": "0:05", "to": "0:15"})
        seen_progress = False
        deadline = time.time() + 600
        while time.time() < deadline and body_data(driver, "status") is None:
            seen_progress = seen_progress or "Analysing" in driver.find_element(By.ID, "stage").text
            time.sleep(0.1)
        check(body_data(driver, "status") == "done", f"the job ended {body_data(driver, 'status')}")
        check(seen_progress, "progress was shown while the job ran")
        report = driver.find_element(By.ID, "report")
        check(report.is_displayed() and report.get_attribute("src").endswith("/report.html"), "the report is shown")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#inputs a")]
        check(any(link.endswith("frames.csv?download=1") for link in links), links)
        check(all("/WolfgangLanger_Pexels.5s-15s/" in link for link in links), f"the range's folder: {links}")
        check(len(links) >= 8, f"every output offered: {links}")
        driver.switch_to.frame(report)
        check(len(driver.find_elements(By.TAG_NAME, "svg")) + len(driver.find_elements(By.TAG_NAME, "img")) > 0,
              "the report inside the page has its charts")
        driver.switch_to.default_content()
        driver.save_screenshot(os.path.join(screenshots, "serve-upload.png"))

        # The job has its own address: a reload (or a bookmark) shows the same results again.
        job = body_data(driver, "job")
        check(driver.current_url == f"{address}/jobs/{job}", f"the page moved to the job's address: {driver.current_url}")
        driver.refresh()
        WebDriverWait(driver, 30).until(lambda d: body_data(d, "status") == "done")
        check(driver.find_element(By.ID, "report").is_displayed(), "the report again after a reload")
        again = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#inputs a")]
        check(again == links, f"the same outputs after a reload: {again}")
        check(f"/jobs/{job}" in driver.find_element(By.ID, "job-link").text, "the page gives its own address")
        # The upload page lists the jobs, newest first, each linking its page.
        driver.get(address + "/")
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "recent").is_displayed())
        recent = driver.find_elements(By.CSS_SELECTOR, "#jobs a")
        check(recent and recent[0].get_attribute("href") == f"{address}/jobs/{job}", "the newest job first")
        check(os.path.basename(video) in recent[0].text, recent[0].text)
        driver.save_screenshot(os.path.join(screenshots, "serve-jobs.png"))
        # A job the server does not know: the page says so.
        driver.get(address + "/jobs/0000000000000000")
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "stage").get_attribute("class") == "error")
        check("no such job" in driver.find_element(By.ID, "stage").text, driver.find_element(By.ID, "stage").text)

        # The live page: the fake camera plays the sample; boxes and labels come back and the chart moves.
        driver.get(address + "/live")
        WebDriverWait(driver, 120).until(lambda d: int(body_data(d, "results") or 0) >= 8)
        check(int(body_data(driver, "faces")) >= 1, "a face is found in the camera's picture")
        readout = driver.find_element(By.ID, "readout").text
        check("face(s)" in readout and "analysed in" in readout, readout)
        points = int(driver.find_element(By.ID, "chart").get_attribute("data-points"))
        time.sleep(2)
        later = int(driver.find_element(By.ID, "chart").get_attribute("data-points"))
        check(later > points >= 3, f"the chart updates: {points} then {later} points")
        # The interview pipeline smooths over a 1 s window: the chart's moving average has time constant 0.5 s.
        check(driver.find_element(By.ID, "chart").get_attribute("data-smoothing") == "0.5", "the chart is smoothed")
        note = driver.find_element(By.ID, "chart-note").text
        check("smoothed over about 1.0 s" in note, note)
        # The overlay holds a box and a label: some of its pixels are drawn.
        drawn = driver.execute_script("""
            const c = document.getElementById('overlay');
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0; for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
            return n;""")
        check(drawn > 500, f"boxes and labels drawn over the video ({drawn} pixels)")
        driver.save_screenshot(os.path.join(screenshots, "serve-live.png"))
        print(f"browser: all checks passed ({later} chart points, {drawn} overlay pixels)")
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:6])
