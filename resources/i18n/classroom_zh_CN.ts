<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClassroomPage</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="819"/>
        <source>Classroom</source>
        <translation>课堂</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="820"/>
        <source>Denoising filmstrip</source>
        <translation>去噪胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="821"/>
        <source>Forward process</source>
        <translation>前向加噪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="822"/>
        <source>GAN vs diffusion</source>
        <translation>GAN 与扩散对比</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="823"/>
        <source>Presentation (F5)</source>
        <translation>演示模式 (F5)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="825"/>
        <source>Presentation</source>
        <translation>演示模式</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="501"/>
        <source>Side by side needs a GAN and a diffusion model in the catalog (File → Open checkpoint…).</source>
        <translation>对比需要模型库中同时有 GAN 和扩散模型（文件 → 打开检查点…）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="515"/>
        <source>GAN vs diffusion</source>
        <translation>GAN 与扩散对比</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="518"/>
        <location filename="../../studio/ui/modes/classroom.py" line="538"/>
        <source>GAN</source>
        <translation>GAN 对抗生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="518"/>
        <location filename="../../studio/ui/modes/classroom.py" line="539"/>
        <source>Diffusion</source>
        <translation>扩散</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="519"/>
        <source>{0}: {1}
{2} in {3:.2f} s</source>
        <translation>{0}：{1}
{2} 幅，用时 {3:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="524"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="532"/>
        <source>The GAN paints in one pass; diffusion takes {0} steps. Here diffusion took {1:.0f}× as long.</source>
        <translation>GAN 一步成画；扩散需要 {0} 步。这次扩散用时是 GAN 的 {1:.0f} 倍。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="540"/>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="541"/>
        <source>First seed</source>
        <translation>起始种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="542"/>
        <source>Paint both</source>
        <translation>两者同时作画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="543"/>
        <source>The same seeds from both kinds of model. Click a painting to see it large.</source>
        <translation>两类模型使用相同的种子。点击画作可放大查看。</translation>
    </message>
</context>
<context>
    <name>FilmstripView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="162"/>
        <source>No diffusion model in the catalog: a GAN paints in one pass, with no steps to show.</source>
        <translation>模型库中没有扩散模型：GAN 一步成画，没有可展示的去噪步骤。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="176"/>
        <source>Filmstrip</source>
        <translation>去噪胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="184"/>
        <location filename="../../studio/ui/modes/classroom.py" line="194"/>
        <source>step {0}/{1}</source>
        <translation>第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="169"/>
        <location filename="../../studio/ui/modes/classroom.py" line="195"/>
        <source>x_t (noisy)</source>
        <translation>x_t（带噪图像）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="170"/>
        <location filename="../../studio/ui/modes/classroom.py" line="187"/>
        <location filename="../../studio/ui/modes/classroom.py" line="196"/>
        <source>x0 (predicted)</source>
        <translation>x0（预测的画作）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="200"/>
        <source>Seed {0}, {1} sampler, {2} steps: {3} frames. The last x_t is the finished painting.</source>
        <translation>种子 {0}，{1} 采样器，{2} 步：共 {3} 帧。最后一帧 x_t 就是完成的画作。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="203"/>
        <source>the finished painting · seed {0}</source>
        <translation>完成的画作 · 种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="216"/>
        <source>Export filmstrip</source>
        <translation>导出胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="217"/>
        <source>PNG strip (*.png);;Animated GIF (*.gif)</source>
        <translation>PNG 胶片 (*.png);;GIF 动画 (*.gif)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="231"/>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="233"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="242"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="243"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="244"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="245"/>
        <source>Every</source>
        <translation>间隔</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="246"/>
        <source>Show every k-th step (the last step is always shown)</source>
        <translation>每隔 k 步显示一帧（最后一步总会显示）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="247"/>
        <source>Paint filmstrip</source>
        <translation>生成胶片</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="248"/>
        <source>Export strip…</source>
        <translation>导出胶片…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="250"/>
        <source>Paint a filmstrip to watch noise become a painting.
Click any frame to see it large here.</source>
        <translation>生成一条去噪胶片，看噪声如何变成画作。
点击任意一帧可在此放大查看。</translation>
    </message>
</context>
<context>
    <name>ForwardView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="326"/>
        <source>The gallery is empty: paint something first, or open an image.</source>
        <translation>画廊是空的：请先作画，或打开一张图片。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="332"/>
        <source>Open a painting</source>
        <translation>打开一幅画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="333"/>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="343"/>
        <source>Cannot open {0}: {1}</source>
        <translation>无法打开 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="385"/>
        <source>Choose a painting first: the gallery&apos;s selected one, or open an image.</source>
        <translation>请先选一幅画：画廊中选中的那幅，或打开一张图片。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="388"/>
        <source>No diffusion model in the catalog: a GAN has no noise schedule.</source>
        <translation>模型库中没有扩散模型：GAN 没有噪声调度。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="394"/>
        <source>Forward process</source>
        <translation>前向加噪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="408"/>
        <source>{0} under the schedule of {1} (T = {2}): drag the slider to add noise.</source>
        <translation>{0} 使用 {1} 的噪声调度（T = {2}）：拖动滑块加入噪声。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="430"/>
        <source>clean: SNR = ∞</source>
        <translation>原画：SNR = ∞</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="432"/>
        <source>ln SNR = {0:.2f}</source>
        <translation>ln SNR = {0:.2f}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="433"/>
        <source>t = {0} / {1}</source>
        <translation>t = {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="434"/>
        <source>x_0: the painting</source>
        <translation>x_0：原画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="439"/>
        <source>Schedule of</source>
        <translation>噪声调度来自</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="440"/>
        <source>Use selected painting</source>
        <translation>使用选中的画作</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="441"/>
        <source>Open image…</source>
        <translation>打开图片…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="442"/>
        <source>Noise it</source>
        <translation>加噪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="443"/>
        <source>Play the noising from the painting (t = 0) to pure noise (t = T)</source>
        <translation>播放加噪过程：从原画（t = 0）到纯噪声（t = T）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="444"/>
        <source>Signal-to-noise ratio of the schedule (ln SNR)</source>
        <translation>噪声调度的信噪比 (ln SNR)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="445"/>
        <source>timestep t</source>
        <translation>时间步 t</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="447"/>
        <source>Choose a painting: it is noised step by step as the model saw it in training.</source>
        <translation>选一幅画：它会像模型训练时所见那样逐步加噪。</translation>
    </message>
</context>
<context>
    <name>PresentationView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="668"/>
        <source>seed {0}: waiting for {1} job(s) ahead…</source>
        <translation>种子 {0}：前面还有 {1} 个任务，请稍候…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="670"/>
        <source>painting seed {0}… preparing the model</source>
        <translation>正在画种子 {0}… 正在准备模型</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="695"/>
        <location filename="../../studio/ui/modes/classroom.py" line="761"/>
        <source>Press Space to paint</source>
        <translation>按空格键作画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="707"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="710"/>
        <source>淡墨 light ink</source>
        <translation>淡墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="710"/>
        <source>浓墨 dark ink</source>
        <translation>浓墨</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="712"/>
        <source>GAN · one pass</source>
        <translation>GAN · 一步生成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="714"/>
        <source>{0} · {1} steps</source>
        <translation>{0} · {1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="730"/>
        <source>painting seed {0}… the first step is on its way</source>
        <translation>正在画种子 {0}… 第一步即将完成</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="736"/>
        <source>painting… step {0} of {1}</source>
        <translation>作画中… 第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="745"/>
        <source>Painting failed: {0}</source>
        <translation>作画失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="755"/>
        <source>Ink Studio — presentation</source>
        <translation>水墨工作室 — 演示</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="756"/>
        <source>◀ Previous</source>
        <translation>◀ 上一幅</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="757"/>
        <source>Paint (Space)</source>
        <translation>作画 (空格)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="758"/>
        <source>Next ▶</source>
        <translation>下一幅 ▶</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="759"/>
        <source>Leave (Esc)</source>
        <translation>退出 (Esc)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="760"/>
        <source>Space: paint   ·   ← →: earlier and later paintings   ·   Esc or F11: leave</source>
        <translation>空格：作画   ·   ← →：前后翻看画作   ·   Esc 或 F11：退出</translation>
    </message>
</context>
<context>
    <name>_TaskView</name>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="77"/>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="78"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="90"/>
        <source>Working… (queued behind other jobs if the studio is busy)</source>
        <translation>处理中…（若工作室正忙，将排在其他任务之后）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/classroom.py" line="101"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>
