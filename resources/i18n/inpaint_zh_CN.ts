<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>GalleryMenuHook</name>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="785"/>
        <source>Inpaint…</source>
        <translation>局部重绘…</translation>
    </message>
</context>
<context>
    <name>InpaintPage</name>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="331"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="369"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="378"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="593"/>
        <source>Inpaint</source>
        <translation>局部重绘</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="333"/>
        <source>Open a painting (button above, or drop an image file here, or pick one from the gallery),
paint over what should be repainted, then press Inpaint.</source>
        <translation>打开一幅画（上方按钮、把图片文件拖到这里，或从画廊中选取），
涂抹需要重绘的部分，然后按“局部重绘”。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="337"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="338"/>
        <source>Open a painting to inpaint (or drop an image file on this tab)</source>
        <translation>打开要局部重绘的画（也可把图片文件拖到此页）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="339"/>
        <source>From gallery</source>
        <translation>从画廊</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="340"/>
        <source>Inpaint one of the paintings in the gallery</source>
        <translation>对画廊中的一幅画进行局部重绘</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="342"/>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="342"/>
        <source>Paint what should be repainted (B)</source>
        <translation>涂抹需要重绘的部分（B）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="343"/>
        <source>Eraser</source>
        <translation>橡皮</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="343"/>
        <source>Erase the mask (E)</source>
        <translation>擦除蒙版（E）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="344"/>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="344"/>
        <source>Drag a rectangle to fill it; right button or Alt removes (R)</source>
        <translation>拖出矩形并填充；右键或按住 Alt 为移除（R）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="345"/>
        <source>Lasso</source>
        <translation>套索</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="345"/>
        <source>Draw a closed shape to fill it; right button or Alt removes (L)</source>
        <translation>画出封闭形状并填充；右键或按住 Alt 为移除（L）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="350"/>
        <source>Brush size in pixels of the painting ([ and ])</source>
        <translation>笔刷大小（画面像素，[ 和 ]）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="351"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="352"/>
        <source>Clear the mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="353"/>
        <source>Invert</source>
        <translation>反选</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="354"/>
        <source>Repaint everything except what is masked</source>
        <translation>重绘蒙版以外的全部</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="355"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="356"/>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>撤销上一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="357"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="358"/>
        <source>Redo (Ctrl+Shift+Z)</source>
        <translation>重做（Ctrl+Shift+Z）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="370"/>
        <source>Mask</source>
        <translation>蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="360"/>
        <source>Show or hide the mask (M)</source>
        <translation>显示或隐藏蒙版（M）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="359"/>
        <source>Show mask</source>
        <translation>显示蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="361"/>
        <source>Before/After</source>
        <translation>前后对比</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="362"/>
        <source>Show the original instead of the chosen result (or hold Space)</source>
        <translation>显示原画而非所选结果（或按住空格）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="363"/>
        <source>Save mask…</source>
        <translation>保存蒙版…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="364"/>
        <source>Save the mask as a PNG (white = repaint)</source>
        <translation>将蒙版保存为 PNG（白色 = 重绘）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="365"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="366"/>
        <source>Save the chosen result into the gallery (PNG with its settings)</source>
        <translation>把所选结果存入画廊（PNG，内含设置）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="367"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="368"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="371"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="372"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="373"/>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="374"/>
        <source>Jumps</source>
        <translation>回跳次数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="375"/>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="376"/>
        <source>Candidates</source>
        <translation>候选数</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="377"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="380"/>
        <source>blend: fast, any sampler · repaint: RePaint, slower, more coherent · invert: GAN latent search</source>
        <translation>blend：快速，可用任意采样器 · repaint：RePaint，较慢，更连贯 · invert：GAN 潜变量搜索</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="382"/>
        <source>Resampling passes that let the hole and its surroundings agree</source>
        <translation>重采样次数，使重绘区与周围相融</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="383"/>
        <source>Candidate k uses seed + k. Pixels away from the mask stay exactly as in the original.</source>
        <translation>第 k 个候选使用种子 + k。远离蒙版的像素与原画完全相同。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="109"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="406"/>
        <source>Open a painting to inpaint</source>
        <translation>打开要局部重绘的画</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="406"/>
        <source>Images ({0})</source>
        <translation>图片（{0}）</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="441"/>
        <source>{0}: {1} × {2} px. Paint over what should be repainted.</source>
        <translation>{0}：{1} × {2} 像素。请涂抹需要重绘的部分。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="450"/>
        <source>The gallery is empty</source>
        <translation>画廊是空的</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="493"/>
        <source>Save mask</source>
        <translation>保存蒙版</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="493"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="744"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="508"/>
        <source>Cannot save {0}: {1}</source>
        <translation>无法保存 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="510"/>
        <source>Mask saved to {0}</source>
        <translation>蒙版已保存到 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="567"/>
        <source>Open a painting first.</source>
        <translation>请先打开一幅画。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="573"/>
        <source>Choose a model first (in the Paint tab&apos;s model list).</source>
        <translation>请先选择模型（在“作画”页的模型列表中）。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="577"/>
        <source>The mask is empty: paint over what should be repainted first.</source>
        <translation>蒙版是空的：请先涂抹需要重绘的部分。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="597"/>
        <source>Waiting for the painter…</source>
        <translation>排队等候中…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="597"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="623"/>
        <source>Starting…</source>
        <translation>开始…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="599"/>
        <source>Inpainting {0} candidate(s) with {1} ({2})…</source>
        <translation>正在用 {1}（{2}）重绘 {0} 个候选…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="611"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="615"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="656"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="627"/>
        <source>Step {0}/{1}</source>
        <translation>第 {0}/{1} 步</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="642"/>
        <source>Done: {0} candidate(s)</source>
        <translation>完成：{0} 个候选</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="646"/>
        <source>Pick a candidate below (hold Space to compare with the original), then Keep it.</source>
        <translation>在下方选择一个候选（按住空格与原画对比），然后点“保留”。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="658"/>
        <source>Cancelled. {0} candidate(s) finished before that are shown.</source>
        <translation>已取消。之前完成的 {0} 个候选仍然显示。</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="662"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="663"/>
        <source>Inpainting failed: {0}</source>
        <translation>局部重绘失败：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="388"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="681"/>
        <location filename="../../studio/ui/modes/inpaint.py" line="683"/>
        <source>seed {0}</source>
        <translation>种子 {0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="713"/>
        <source>candidate {0} · seed {1}</source>
        <translation>候选 {0} · 种子 {1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="731"/>
        <source>Cannot save into {0}: {1}</source>
        <translation>无法保存到 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="736"/>
        <source>Kept in the gallery: {0}</source>
        <translation>已存入画廊：{0}</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="744"/>
        <source>Save result as</source>
        <translation>结果另存为</translation>
    </message>
    <message>
        <location filename="../../studio/ui/modes/inpaint.py" line="749"/>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
</context>
<context>
    <name>MaskCanvas</name>
    <message>
        <location filename="../../studio/ui/modes/maskcanvas.py" line="333"/>
        <source>original</source>
        <translation>原画</translation>
    </message>
</context>
</TS>
